// Parse a Jenkinsfile without Jenkins: compile it to the CONVERSION phase (syntax and AST
// only), so declarative keywords and pipeline steps need not resolve to real classes.
// usage: groovy ci/jenkins/parse.groovy Jenkinsfile     -> prints "ok", or errors + exit 1
import org.codehaus.groovy.control.CompilationUnit
import org.codehaus.groovy.control.MultipleCompilationErrorsException
import org.codehaus.groovy.control.Phases

if (args.length != 1) {
    System.err.println('usage: groovy parse.groovy JENKINSFILE')
    System.exit(2)
}
def unit = new CompilationUnit()
unit.addSource(new File(args[0]))
try {
    unit.compile(Phases.CONVERSION)
} catch (MultipleCompilationErrorsException e) {
    System.err.println(e.message)
    System.exit(1)
}
println 'ok'

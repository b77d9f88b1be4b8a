// Dry-run a declarative Jenkinsfile without Jenkins: evaluate its `when` conditions, stages,
// `script {}` blocks and helper methods with stand-in pipeline steps that only record what
// would run (stages, sh commands with their container and credentials). Nothing is executed.
// The tests use it to check that a push reaches exactly the services it should.
//
// usage: groovy ci/jenkins/dryrun.groovy JENKINSFILE SCENARIOS.json  -> {name: trace} on stdout
// SCENARIOS: {"scenarios": {name: SCENARIO}}; SCENARIO: {"env": {...}, "params": {...}, "files": {"services.yaml": <parsed>, ...},
//   "stdout": {"<sh script prefix>": "<output>"}, "approve": true}
import groovy.json.JsonOutput
import groovy.json.JsonSlurper
import org.codehaus.groovy.control.CompilerConfiguration

/** Jenkins' marker for methods run outside the CPS interpreter; meaningless here. */
@interface NonCPS {}

/** What would have run, in order. */
class Trace {
    List events = []
    List<String> stagePath = []
    List<String> containers = ['default']
    List<String> credentials = []
    List<String> envOverrides = []

    void add(Map event) {
        events << ([stage: stagePath.join(' / '), container: containers[-1],
                    credentials: credentials.clone(), env: envOverrides.clone()] + event)
    }
}

/** Swallows a section we only need to look at (agent, options); keeps string arguments. */
class Recorder {
    Map seen = [:]
    def methodMissing(String name, args) {
        List list = args as List
        list.findAll { it instanceof Closure }.each { Closure c ->
            c.delegate = this; c.resolveStrategy = Closure.DELEGATE_FIRST; c()
        }
        def plain = list.findAll { !(it instanceof Closure) }
        if (plain) { seen[name] = plain.size() == 1 ? plain[0] : plain }
        return null
    }
}

/** `environment {}`: assignments become environment variables. */
class EnvSection {
    Script script
    def propertyMissing(String name, value) { script.env[name] = value?.toString() }
    def propertyMissing(String name) { script.getProperty(name) }
    def methodMissing(String name, args) { script.invokeMethod(name, args) }
}

/** `parameters {}`: defaults, overridden by the config's params. */
class ParamSection {
    Map defaults = [:]
    def booleanParam(Map m) { defaults[m.name] = m.defaultValue }
    def string(Map m) { defaults[m.name] = m.defaultValue }
    def choice(Map m) { defaults[m.name] = (m.choices as List)[0] }
}

/** `when {}`: a list of conditions, all of which must hold (nested with allOf/anyOf/not). */
class WhenSection {
    Script script
    List<Closure> conditions = []
    boolean beforeInput = false

    WhenSection nested(Closure c) {
        def w = new WhenSection(script: script)
        c.delegate = w; c.resolveStrategy = Closure.DELEGATE_FIRST; c()
        return w
    }
    boolean holds() { conditions.every { it() } }
    def beforeInput(boolean b) { beforeInput = b }
    def branch(String pattern) { conditions << { script.env.BRANCH_NAME == pattern } }
    def buildingTag() { conditions << { script.env.TAG_NAME as boolean } }
    def expression(Closure c) { conditions << { c() as boolean } }
    def environment(Map m) { conditions << { script.env[m.name] == m.value } }
    def allOf(Closure c) { def w = nested(c); conditions << { w.holds() } }
    def anyOf(Closure c) { def w = nested(c); conditions << { w.conditions.any { it() } } }
    def not(Closure c) { def w = nested(c); conditions << { !w.holds() } }
    def propertyMissing(String name) { script.getProperty(name) }
}

/** One declarative `stage`. */
class StageSection {
    String name
    WhenSection when
    Map input
    Closure steps
    Map post = [:]
    Script script

    def when(Closure c) {
        when = new WhenSection(script: script)
        c.delegate = when; c.resolveStrategy = Closure.DELEGATE_FIRST; c()
    }
    def input(Closure c) { def r = new Recorder(); c.delegate = r; c(); input = r.seen }
    def steps(Closure c) { steps = c }
    def post(Closure c) { def p = new PostSection(); c.delegate = p; c.resolveStrategy = Closure.DELEGATE_FIRST; c(); post = p.blocks }
    def options(Closure c) { new Recorder().with { c.delegate = it; c() } }
}

class PostSection {
    Map blocks = [:]
    def methodMissing(String name, args) { blocks[name] = (args as List)[0] }
}

class StagesSection {
    Script script
    List<StageSection> stages = []
    def stage(String name, Closure c) {
        def s = new StageSection(name: name, script: script)
        c.delegate = s; c.resolveStrategy = Closure.DELEGATE_FIRST; c()
        stages << s
    }
}

class PipelineSection {
    Script script
    Recorder agent = new Recorder()
    ParamSection parameters = new ParamSection()
    StagesSection stages
    Map post = [:]

    def agent(Closure c) { c.delegate = agent; c.resolveStrategy = Closure.DELEGATE_FIRST; c() }
    def options(Closure c) { def r = new Recorder(); c.delegate = r; c.resolveStrategy = Closure.DELEGATE_FIRST; c() }
    def parameters(Closure c) { c.delegate = parameters; c.resolveStrategy = Closure.DELEGATE_FIRST; c() }
    def environment(Closure c) {
        c.delegate = new EnvSection(script: script); c.resolveStrategy = Closure.DELEGATE_FIRST; c()
    }
    def stages(Closure c) {
        stages = new StagesSection(script: script)
        c.delegate = stages; c.resolveStrategy = Closure.DELEGATE_FIRST; c()
    }
    def post(Closure c) { def p = new PostSection(); c.delegate = p; c.resolveStrategy = Closure.DELEGATE_FIRST; c(); post = p.blocks }
}

/** The Jenkinsfile's base class: the pipeline steps it calls, recorded instead of run. */
abstract class DryRunScript extends Script {
    static Map CONFIG
    static Trace TRACE = new Trace()
    Map env = [:]
    Map params = [:]
    Map agentSeen = [:]

    def getProperty(String name) {
        if (name in ['env', 'params', 'binding', 'metaClass', 'class']) { return super.getProperty(name) }
        try {
            return super.getProperty(name)
        } catch (MissingPropertyException e) {
            if (env.containsKey(name)) { return env[name] }
            throw e
        }
    }

    static void within(Closure c, Object delegate) {
        c.delegate = delegate; c.resolveStrategy = Closure.DELEGATE_FIRST; c()
    }

    def pipeline(Closure c) {
        env.putAll(CONFIG.env ?: [:])
        def spec = new PipelineSection(script: this)
        within(c, spec)
        params.putAll(spec.parameters.defaults)
        params.putAll(CONFIG.params ?: [:])
        agentSeen = spec.agent.seen
        TRACE.add(type: 'agent', yaml: agentSeen.yaml, defaultContainer: agentSeen.defaultContainer)
        for (StageSection s : spec.stages.stages) {
            runStage(s)
        }
        spec.post.each { k, Closure v -> TRACE.add(type: 'post', condition: k) }
    }

    void runStage(StageSection s) {
        TRACE.stagePath << s.name
        try {
            if (s.when && s.when.beforeInput && !s.when.holds()) { TRACE.add(type: 'skipped'); return }
            if (s.input != null) {
                TRACE.add(type: 'input', input: s.input)
                if (!CONFIG.approve) { TRACE.add(type: 'aborted'); return }
            }
            if (s.when && !s.when.beforeInput && !s.when.holds()) { TRACE.add(type: 'skipped'); return }
            TRACE.add(type: 'stage')
            within(s.steps, this)
            s.post.each { k, Closure v -> within(v, this) }
        } finally {
            TRACE.stagePath.removeAt(TRACE.stagePath.size() - 1)
        }
    }

    // --- steps ---------------------------------------------------------------------------
    def stage(String name, Closure c) {
        TRACE.stagePath << name
        try { TRACE.add(type: 'stage'); c() } finally { TRACE.stagePath.removeAt(TRACE.stagePath.size() - 1) }
    }
    def script(Closure c) { c() }
    def parallel(Map branches) {
        branches.each { name, Closure c -> TRACE.add(type: 'branch', name: name); c() }
    }
    def container(String name, Closure c) {
        TRACE.containers << name
        try { c() } finally { TRACE.containers.removeAt(TRACE.containers.size() - 1) }
    }
    def withEnv(List vars, Closure c) {
        TRACE.envOverrides.addAll(vars*.toString())
        try { c() } finally { vars.size().times { TRACE.envOverrides.removeAt(TRACE.envOverrides.size() - 1) } }
    }
    def withCredentials(List bindings, Closure c) {
        TRACE.credentials.addAll(bindings*.credentialsId)
        try { c() } finally { bindings.size().times { TRACE.credentials.removeAt(TRACE.credentials.size() - 1) } }
    }
    Map usernamePassword(Map m) { m }
    Map file(Map m) { m }
    Map string(Map m) { m }
    def sh(String cmd) { sh(script: cmd) }
    def sh(Map m) {
        TRACE.add(type: 'sh', cmd: m.script.toString())
        if (m.returnStdout) {
            def hit = (CONFIG.stdout ?: [:]).find { k, v -> m.script.toString().startsWith(k) }
            if (hit == null) { throw new IllegalStateException("no canned stdout for: ${m.script}") }
            return hit.value
        }
        return null
    }
    def readYaml(Map m) {
        def files = CONFIG.files ?: [:]
        if (!files.containsKey(m.file)) { throw new FileNotFoundException(m.file.toString()) }
        return files[m.file]
    }
    def echo(String s) { TRACE.add(type: 'echo', text: s.toString()) }
    def error(String s) { throw new IllegalStateException(s) }
    def junit(Map m) { TRACE.add(type: 'junit', results: m.testResults) }
    def checkout(scm) { TRACE.add(type: 'checkout') }
    def getScm() { 'scm' }
}

if (args.length != 2) {
    System.err.println('usage: groovy dryrun.groovy JENKINSFILE SCENARIOS.json')
    System.exit(2)
}
// Parse once, run each scenario on a fresh instance of the Jenkinsfile's script class.
def config = new CompilerConfiguration()
config.scriptBaseClass = DryRunScript.name
def shell = new GroovyShell(this.class.classLoader, new Binding(), config)
Class jenkinsfile = shell.parse(new File(args[0])).getClass()
Map scenarios = new JsonSlurper().parse(new File(args[1])).scenarios as Map
Map results = [:]
scenarios.each { String name, Map scenario ->
    DryRunScript.CONFIG = scenario
    DryRunScript.TRACE = new Trace()
    try {
        (jenkinsfile.newInstance() as Script).run()
        results[name] = [ok: true, events: DryRunScript.TRACE.events]
    } catch (Throwable e) {
        results[name] = [ok: false, error: e.toString(), events: DryRunScript.TRACE.events]
    }
}
println JsonOutput.toJson(results)

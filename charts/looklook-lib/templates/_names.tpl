{{/*
Names and labels. Every template below takes a context dict:
  root    the top-level context ($)
  service the service name (key of .Values.services)
  process the process name (key of .Values.services.<service>.processes)
Object names are `<release>-<service>-<process>`: peers address RPC servers as
`<release>-<service>-rpc:<port>` (the config contract), whatever the chart is called.
*/}}

{{- define "looklook-lib.componentName" -}}
{{- printf "%s-%s-%s" .root.Release.Name .service .process | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "looklook-lib.configName" -}}
{{- printf "%s-%s-config" .root.Release.Name .service | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "looklook-lib.selectorLabels" -}}
app.kubernetes.io/name: {{ .service }}
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .process }}
{{- end -}}

{{- define "looklook-lib.labels" -}}
{{ include "looklook-lib.selectorLabels" . }}
app.kubernetes.io/part-of: looklook
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
app.kubernetes.io/version: {{ include "looklook-lib.imageTag" . | quote }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version | replace "+" "_" | trunc 63 }}
{{- end -}}

{{/* Image tag of a service: its own, else the global one, else the chart's appVersion. */}}
{{- define "looklook-lib.imageTag" -}}
{{- $svc := index .root.Values.services .service | default dict -}}
{{- $own := (($svc.image | default dict).tag) | default "" -}}
{{- $own | default .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{- end -}}

{{- define "looklook-lib.image" -}}
{{- $svc := index .root.Values.services .service -}}
{{- $repo := (($svc.image | default dict).repository) | default (printf "%s/looklook-%s" .root.Values.image.registry .service) -}}
{{- printf "%s:%s" $repo (include "looklook-lib.imageTag" .) -}}
{{- end -}}

{{/*
The effective settings of one process: .Values.defaults deep-merged under the
process entry (the process wins), returned as YAML for `fromYaml`.
*/}}
{{- define "looklook-lib.process" -}}
{{- $svc := index .root.Values.services .service -}}
{{- $proc := index $svc.processes .process -}}
{{- toYaml (mergeOverwrite (deepCopy .root.Values.defaults) (deepCopy $proc)) -}}
{{- end -}}

{{/* The gRPC process (name and port) of a service; empty when it has none. */}}
{{- define "looklook-lib.rpcOf" -}}
{{- $svc := index .root.Values.services .service -}}
{{- range $name, $p := $svc.processes -}}
{{- if eq $p.kind "grpc" }}{{ toYaml (dict "name" $name "port" $p.port) }}{{ end -}}
{{- end -}}
{{- end -}}

{{/* The HTTP process name of a service; empty when it has none. */}}
{{- define "looklook-lib.httpOf" -}}
{{- $svc := index .root.Values.services .service -}}
{{- range $name, $p := $svc.processes -}}
{{- if eq $p.kind "http" }}{{ $name }}{{ end -}}
{{- end -}}
{{- end -}}

{{/*
Entry points the umbrella chart calls. A service with `generic: false` (the operator,
rendered by its own templates) is skipped here.
*/}}
{{- define "looklook-lib.services" -}}
{{- $root := . -}}
{{- range $service, $svc := .Values.services }}
{{- if ne $svc.generic false }}
---
{{ include "looklook-lib.configmap" (dict "root" $root "service" $service) }}
{{- range $process, $_ := $svc.processes }}
{{- $ctx := dict "root" $root "service" $service "process" $process }}
---
{{ include "looklook-lib.deployment" $ctx }}
---
{{ include "looklook-lib.service" $ctx }}
---
{{ include "looklook-lib.hpa" $ctx }}
---
{{ include "looklook-lib.pdb" $ctx }}
---
{{ include "looklook-lib.servicemonitor" $ctx }}
---
{{ include "looklook-lib.networkpolicy" $ctx }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "looklook-lib.migrations" -}}
{{- $root := . -}}
{{- if .Values.migrations.enabled }}
{{- range $service, $svc := .Values.services }}
{{- if and $svc.database (ne $svc.generic false) }}
---
{{ include "looklook-lib.migrationJob" (dict "root" $root "service" $service) }}
{{- end }}
{{- end }}
{{- end }}
{{- end -}}

{{- define "looklook-lib.ingresses" -}}
{{- if .Values.ingress.enabled }}
---
{{ include "looklook-lib.stripHeaders" . }}
---
{{ include "looklook-lib.ingress" (dict "root" . "kind" "protected") }}
---
{{ include "looklook-lib.ingress" (dict "root" . "kind" "public") }}
{{- end }}
{{- end -}}

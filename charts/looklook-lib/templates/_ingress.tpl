{{/*
Two Ingresses for ingress-nginx, mirroring the local gateway:
  protected: the exact paths in a service's `protected` list; ingress-nginx asks
             usercenter-api's auth/verify first and forwards its X-User-Id.
  public:    each service's route prefix, with any client-sent X-User-Id dropped
             (proxy-set-headers), so only the auth subrequest can set it.
ingress-nginx prefers Exact over Prefix paths across Ingresses of one host.
*/}}
{{- define "looklook-lib.authUrl" -}}
{{- $v := .Values -}}
{{- $auth := $v.ingress.auth -}}
{{- $proc := include "looklook-lib.httpOf" (dict "root" . "service" $auth.service) -}}
{{- $port := (index (index $v.services $auth.service).processes $proc).port -}}
{{- printf "http://%s.%s.svc.%s:%v%s" (include "looklook-lib.componentName" (dict "root" . "service" $auth.service "process" $proc)) .Release.Namespace $v.clusterDomain $port $auth.path -}}
{{- end -}}

{{- define "looklook-lib.ingress" -}}
{{- $root := .root -}}
{{- $v := $root.Values -}}
{{- $protected := eq .kind "protected" -}}
{{- $rules := list -}}
{{- range $name, $svc := $v.services -}}
{{- $http := include "looklook-lib.httpOf" (dict "root" $root "service" $name) -}}
{{- if and $http $svc.route -}}
{{- $backend := include "looklook-lib.componentName" (dict "root" $root "service" $name "process" $http) -}}
{{- if $protected -}}
{{- range $svc.protected | default list }}{{ $rules = append $rules (dict "path" . "type" "Exact" "backend" $backend) }}{{ end -}}
{{- else -}}
{{- $rules = append $rules (dict "path" $svc.route "type" "Prefix" "backend" $backend) -}}
{{- end -}}
{{- end -}}
{{- end -}}
{{- if $rules }}
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {{ printf "%s-%s" $root.Release.Name .kind }}
  labels:
    {{- include "looklook-lib.labels" (dict "root" $root "service" "gateway" "process" .kind) | nindent 4 }}
  annotations:
    {{- if $protected }}
    nginx.ingress.kubernetes.io/auth-url: {{ include "looklook-lib.authUrl" $root | quote }}
    nginx.ingress.kubernetes.io/auth-method: GET
    nginx.ingress.kubernetes.io/auth-response-headers: X-User-Id
    {{- else }}
    nginx.ingress.kubernetes.io/proxy-set-headers: {{ printf "%s/%s-strip-headers" $root.Release.Namespace $root.Release.Name | quote }}
    {{- end }}
    {{- with $v.ingress.annotations }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  ingressClassName: {{ $v.ingress.className }}
  {{- if $v.ingress.tls.enabled }}
  tls:
    - hosts: [{{ $v.ingress.host | quote }}]
      secretName: {{ required "ingress.tls.secretName: name the TLS Secret" $v.ingress.tls.secretName }}
  {{- end }}
  rules:
    - host: {{ $v.ingress.host | quote }}
      http:
        paths:
          {{- range $rules }}
          - path: {{ .path }}
            pathType: {{ .type }}
            backend:
              service:
                name: {{ .backend }}
                port:
                  name: http
          {{- end }}
{{- end }}
{{- end -}}

{{/* Headers ingress-nginx sets on public routes: an empty value removes the header. */}}
{{- define "looklook-lib.stripHeaders" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ printf "%s-strip-headers" .Release.Name }}
  labels:
    {{- include "looklook-lib.labels" (dict "root" . "service" "gateway" "process" "headers") | nindent 4 }}
data:
  X-User-Id: ""
{{- end -}}

{{/*
The service YAML (services/<svc>/etc/<svc>.yaml shape) of one service, built from
values: shared blocks for what the service `uses`, then its own `config` on top.
Secrets are never written here; they arrive as env vars from Secret references
(looklook-lib.secretEnv). Ports and peer endpoints arrive as env vars too
(looklook-lib.processEnv), per the config contract.
*/}}
{{- define "looklook-lib.serviceConfig" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v.services .service -}}
{{- $uses := $svc.uses | default list -}}
{{- $cfg := dict "name" .service "mode" $v.mode "log" (dict "level" $v.logLevel) "telemetry" (dict "endpoint" $v.telemetry.endpoint) -}}
{{- if has "mysql" $uses -}}
{{- $_ := set $cfg "mysql" (dict "host" $v.mysql.host "port" $v.mysql.port "user" $v.mysql.user "database" $svc.database) -}}
{{- end -}}
{{- if has "cache" $uses -}}
{{- $_ := set $cfg "cache" (dict "host" $v.redis.host "port" $v.redis.port) -}}
{{- end -}}
{{- if has "redis" $uses -}}
{{- $_ := set $cfg "redis" (dict "host" $v.redis.host "port" $v.redis.port "db" $v.redis.jobsDb) -}}
{{- end -}}
{{- if has "jwt" $uses -}}
{{- $_ := set $cfg "jwt" (dict "access_expire" $v.jwt.accessExpire) -}}
{{- end -}}
{{- if has "kafka" $uses -}}
{{- $_ := set $cfg "kafka" (dict "brokers" $v.kafka.brokers "topic" $v.kafka.topic "group" $v.kafka.group) -}}
{{- end -}}
{{- if has "wxMini" $uses -}}
{{- $_ := set $cfg "wx_mini" (dict "app_id" $v.wxMini.appId "base_url" $v.wxMini.baseUrl) -}}
{{- end -}}
{{- if has "wxPay" $uses -}}
{{- $_ := set $cfg "wx_pay" (dict "mch_id" $v.wxPay.mchId "serial_no" $v.wxPay.serialNo "notify_url" $v.wxPay.notifyUrl "base_url" $v.wxPay.baseUrl "platform_public_key" $v.wxPay.platformPublicKey) -}}
{{- end -}}
{{- toYaml (mergeOverwrite $cfg (deepCopy ($svc.config | default dict))) -}}
{{- end -}}

{{- define "looklook-lib.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "looklook-lib.configName" . }}
  labels:
    {{- include "looklook-lib.labels" (merge (dict "process" "config") .) | nindent 4 }}
data:
  {{ .service }}.yaml: |
    {{- include "looklook-lib.serviceConfig" . | nindent 4 }}
{{- end -}}

{{/*
Secret references a service's containers get, by what it `uses`. Each entry is
(env var, values block): the block names the existing Secret and the key in it.
*/}}
{{- define "looklook-lib.secretEnv" -}}
{{- $v := .root.Values -}}
{{- $uses := (index $v.services .service).uses | default list -}}
{{- $refs := list -}}
{{- if has "mysql" $uses }}{{ $refs = append $refs (list "LOOKLOOK_MYSQL__PASSWORD" $v.mysql.existingSecret $v.mysql.passwordKey) }}{{ end -}}
{{- if has "cache" $uses }}{{ $refs = append $refs (list "LOOKLOOK_CACHE__PASSWORD" $v.redis.existingSecret $v.redis.passwordKey) }}{{ end -}}
{{- if has "redis" $uses }}{{ $refs = append $refs (list "LOOKLOOK_REDIS__PASSWORD" $v.redis.existingSecret $v.redis.passwordKey) }}{{ end -}}
{{- if has "jwt" $uses }}{{ $refs = append $refs (list "LOOKLOOK_JWT__ACCESS_SECRET" (required "jwt.existingSecret: name the Secret holding the JWT access secret" $v.jwt.existingSecret) $v.jwt.accessSecretKey) }}{{ end -}}
{{- if has "wxMini" $uses }}{{ $refs = append $refs (list "LOOKLOOK_WX_MINI__SECRET" (required "wxMini.existingSecret: name the Secret holding the WeChat mini-program secret" $v.wxMini.existingSecret) $v.wxMini.secretKey) }}{{ end -}}
{{- if has "wxPay" $uses }}
{{- $name := required "wxPay.existingSecret: name the Secret holding the WeChat Pay keys" $v.wxPay.existingSecret -}}
{{- $refs = append $refs (list "LOOKLOOK_WX_PAY__API_V3_KEY" $name $v.wxPay.apiV3KeyKey) -}}
{{- $refs = append $refs (list "LOOKLOOK_WX_PAY__PRIVATE_KEY" $name $v.wxPay.privateKeyKey) -}}
{{- end -}}
{{- range $refs }}
- name: {{ index . 0 }}
  valueFrom:
    secretKeyRef:
      name: {{ index . 1 }}
      key: {{ index . 2 }}
{{- end }}
{{- end -}}

{{/*
Per-process env: the process name, its listen ports, and every RPC peer its service
talks to, as `<release>-<peer>-rpc:<port>` (in-namespace Service DNS).
*/}}
{{- define "looklook-lib.processEnv" -}}
{{- $p := fromYaml (include "looklook-lib.process" .) -}}
{{- $root := .root -}}
- name: LOOKLOOK_NAME
  value: {{ printf "%s-%s" .service .process | quote }}
- name: LOOKLOOK_OPS__PORT
  value: {{ $p.ops | quote }}
{{- if $p.port }}
- name: LOOKLOOK_{{ .process | upper }}__PORT
  value: {{ $p.port | quote }}
{{- end }}
{{- range $peer := include "looklook-lib.servicePeers" . | fromYamlArray }}
{{- $rpc := fromYaml (include "looklook-lib.rpcOf" (dict "root" $root "service" $peer)) }}
- name: LOOKLOOK_{{ $peer | upper }}_RPC__ENDPOINT
  value: {{ printf "%s:%v" (include "looklook-lib.componentName" (dict "root" $root "service" $peer "process" $rpc.name)) $rpc.port | quote }}
{{- end }}
{{- end -}}

{{/* The union of `calls` over a service's processes: every peer its YAML configures. */}}
{{- define "looklook-lib.servicePeers" -}}
{{- $svc := index .root.Values.services .service -}}
{{- $peers := list -}}
{{- range $_, $p := $svc.processes }}{{ $peers = concat $peers ($p.calls | default list) }}{{ end -}}
{{- toYaml ($peers | uniq | sortAlpha) -}}
{{- end -}}

{{/*
NetworkPolicy of one process: only the traffic the architecture needs.
  ingress: ingress-nginx -> HTTP APIs; callers -> RPC servers (their `calls`, grpc.md §6);
           Prometheus -> every ops port.
  egress:  DNS; the RPC servers the process calls; the infrastructure in its `egress`
           list (mysql, redis, kafka on their ports; wechat = HTTPS outside the cluster).
*/}}
{{- define "looklook-lib.networkpolicy" -}}
{{- $np := .root.Values.networkPolicy -}}
{{- if $np.enabled }}
{{- $p := fromYaml (include "looklook-lib.process" .) -}}
{{- $root := .root -}}
{{- $me := .service -}}
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ include "looklook-lib.componentName" . }}
  labels:
    {{- include "looklook-lib.labels" . | nindent 4 }}
spec:
  podSelector:
    matchLabels:
      {{- include "looklook-lib.selectorLabels" . | nindent 6 }}
  policyTypes: [Ingress, Egress]
  ingress:
    - from:
        - namespaceSelector:
            matchLabels: {{- toYaml $np.prometheus.namespaceLabels | nindent 14 }}
          podSelector:
            matchLabels: {{- toYaml $np.prometheus.podLabels | nindent 14 }}
      ports:
        - port: ops
          protocol: TCP
    {{- if eq $p.kind "http" }}
    - from:
        - namespaceSelector:
            matchLabels: {{- toYaml $np.ingressNginx.namespaceLabels | nindent 14 }}
          podSelector:
            matchLabels: {{- toYaml $np.ingressNginx.podLabels | nindent 14 }}
      ports:
        - port: http
          protocol: TCP
    {{- end }}
    {{- if eq $p.kind "grpc" }}
    {{- $callers := list }}
    {{- range $svcName, $svc := $root.Values.services }}
    {{- range $procName, $proc := $svc.processes }}
    {{- if has $me ($proc.calls | default list) }}
    {{- $callers = append $callers (dict "service" $svcName "process" $procName) }}
    {{- end }}
    {{- end }}
    {{- end }}
    {{- if $callers }}
    - from:
        {{- range $callers }}
        - podSelector:
            matchLabels:
              {{- include "looklook-lib.selectorLabels" (merge (dict "root" $root) .) | nindent 14 }}
        {{- end }}
      ports:
        - port: grpc
          protocol: TCP
    {{- end }}
    {{- end }}
  egress:
    - ports:
        - {port: 53, protocol: UDP}
        - {port: 53, protocol: TCP}
      {{- with $np.dns.to }}
      to: {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- range $peer := $p.calls | default list }}
    {{- $rpc := fromYaml (include "looklook-lib.rpcOf" (dict "root" $root "service" $peer)) }}
    - to:
        - podSelector:
            matchLabels:
              {{- include "looklook-lib.selectorLabels" (dict "root" $root "service" $peer "process" $rpc.name) | nindent 14 }}
      ports:
        - port: {{ $rpc.port }}
          protocol: TCP
    {{- end }}
    {{- range $dep := $p.egress | default list }}
    {{- $rule := index $np.egressTo $dep }}
    - ports:
        {{- range $rule.ports }}
        - port: {{ . }}
          protocol: TCP
        {{- end }}
      {{- with $rule.to }}
      to: {{- toYaml . | nindent 8 }}
      {{- end }}
    {{- end }}
{{- end }}
{{- end -}}

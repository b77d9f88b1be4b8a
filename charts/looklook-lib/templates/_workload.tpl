{{/* Deployment of one process: restricted pod, ops-port probes, graceful stop. */}}
{{- define "looklook-lib.deployment" -}}
{{- $p := fromYaml (include "looklook-lib.process" .) -}}
{{- $cfg := include "looklook-lib.serviceConfig" . -}}
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "looklook-lib.componentName" . }}
  labels:
    {{- include "looklook-lib.labels" . | nindent 4 }}
spec:
  {{- if not $p.autoscaling.enabled }}
  replicas: {{ $p.replicas }}
  {{- end }}
  revisionHistoryLimit: 5
  {{- if $p.singleton }}
  strategy:
    type: Recreate
  {{- else }}
  strategy:
    type: RollingUpdate
    rollingUpdate:
      maxSurge: 25%
      maxUnavailable: 0
  {{- end }}
  selector:
    matchLabels:
      {{- include "looklook-lib.selectorLabels" . | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "looklook-lib.labels" . | nindent 8 }}
      annotations:
        checksum/config: {{ $cfg | sha256sum }}
        {{- with $p.podAnnotations }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
    spec:
      automountServiceAccountToken: false
      enableServiceLinks: false
      terminationGracePeriodSeconds: {{ $p.terminationGracePeriodSeconds }}
      {{- with .root.Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "looklook-lib.podSecurityContext" . | nindent 8 }}
      {{- if $p.topologySpread }}
      topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          labelSelector:
            matchLabels:
              {{- include "looklook-lib.selectorLabels" . | nindent 14 }}
      {{- end }}
      {{- with $p.nodeSelector }}
      nodeSelector:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $p.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $p.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      containers:
        - name: {{ .process }}
          image: {{ include "looklook-lib.image" . | quote }}
          imagePullPolicy: {{ .root.Values.image.pullPolicy }}
          args: [{{ .process | quote }}, "-f", {{ printf "/etc/looklook/%s.yaml" .service | quote }}]
          ports:
            {{- if $p.port }}
            - name: {{ include "looklook-lib.portName" $p }}
              containerPort: {{ $p.port }}
              protocol: TCP
            {{- end }}
            - name: ops
              containerPort: {{ $p.ops }}
              protocol: TCP
          env:
            {{- include "looklook-lib.processEnv" . | nindent 12 }}
            {{- include "looklook-lib.secretEnv" . | nindent 12 }}
            {{- with $p.extraEnv }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          startupProbe:
            httpGet: {path: /healthz, port: ops}
            periodSeconds: 2
            failureThreshold: 30
          livenessProbe:
            httpGet: {path: /healthz, port: ops}
            periodSeconds: 10
            timeoutSeconds: 2
            failureThreshold: 3
          readinessProbe:
            httpGet: {path: /readyz, port: ops}
            periodSeconds: 5
            timeoutSeconds: 2
            failureThreshold: 2
          lifecycle:
            preStop:
              exec:
                # Keep serving while the endpoint is removed from Services and ingress.
                command: ["sleep", {{ $p.preStopSleepSeconds | quote }}]
          resources:
            {{- toYaml $p.resources | nindent 12 }}
          securityContext:
            {{- include "looklook-lib.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: config
              mountPath: /etc/looklook
              readOnly: true
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: config
          configMap:
            name: {{ include "looklook-lib.configName" . }}
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}

{{- define "looklook-lib.portName" -}}
{{- if eq .kind "grpc" }}grpc{{ else }}http{{ end -}}
{{- end -}}

{{- define "looklook-lib.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: 10001
runAsGroup: 10001
fsGroup: 10001
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "looklook-lib.containerSecurityContext" -}}
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
runAsNonRoot: true
capabilities:
  drop: ["ALL"]
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Service: the listen port (if any) and the ops port, which Prometheus scrapes. */}}
{{- define "looklook-lib.service" -}}
{{- $p := fromYaml (include "looklook-lib.process" .) -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "looklook-lib.componentName" . }}
  labels:
    {{- include "looklook-lib.labels" . | nindent 4 }}
spec:
  type: ClusterIP
  selector:
    {{- include "looklook-lib.selectorLabels" . | nindent 4 }}
  ports:
    {{- if $p.port }}
    - name: {{ include "looklook-lib.portName" $p }}
      port: {{ $p.port }}
      targetPort: {{ include "looklook-lib.portName" $p }}
      protocol: TCP
      {{- if eq $p.kind "grpc" }}
      appProtocol: grpc
      {{- end }}
    {{- end }}
    - name: ops
      port: {{ $p.ops }}
      targetPort: ops
      protocol: TCP
{{- end -}}

{{- define "looklook-lib.hpa" -}}
{{- $p := fromYaml (include "looklook-lib.process" .) -}}
{{- if $p.autoscaling.enabled }}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ include "looklook-lib.componentName" . }}
  labels:
    {{- include "looklook-lib.labels" . | nindent 4 }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ include "looklook-lib.componentName" . }}
  minReplicas: {{ $p.autoscaling.minReplicas }}
  maxReplicas: {{ $p.autoscaling.maxReplicas }}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {{ $p.autoscaling.targetCPUUtilizationPercentage }}
{{- end }}
{{- end -}}

{{- define "looklook-lib.pdb" -}}
{{- $p := fromYaml (include "looklook-lib.process" .) -}}
{{- if $p.pdb.enabled }}
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "looklook-lib.componentName" . }}
  labels:
    {{- include "looklook-lib.labels" . | nindent 4 }}
spec:
  maxUnavailable: {{ $p.pdb.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "looklook-lib.selectorLabels" . | nindent 6 }}
{{- end }}
{{- end -}}

{{- define "looklook-lib.servicemonitor" -}}
{{- $m := .root.Values.monitoring.serviceMonitor -}}
{{- if $m.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "looklook-lib.componentName" . }}
  labels:
    {{- include "looklook-lib.labels" . | nindent 4 }}
    {{- with $m.labels }}
    {{- toYaml . | nindent 4 }}
    {{- end }}
spec:
  selector:
    matchLabels:
      {{- include "looklook-lib.selectorLabels" . | nindent 6 }}
  endpoints:
    - port: ops
      path: /metrics
      interval: {{ $m.interval }}
      scrapeTimeout: {{ $m.scrapeTimeout }}
{{- end }}
{{- end -}}

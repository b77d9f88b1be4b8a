{{/*
Schema migrations of one service's database, as a Helm hook so they finish before
new pods start: `looklook-<svc> migrate` is idempotent, so re-runs are harmless.
It runs from the image's baked config plus env (the ConfigMap does not exist yet
at pre-install time).
*/}}
{{- define "looklook-lib.migrationJob" -}}
{{- $v := .root.Values -}}
{{- $svc := index $v.services .service -}}
{{- $m := $v.migrations -}}
{{- $ctx := merge (dict "process" "migrate") . -}}
apiVersion: batch/v1
kind: Job
metadata:
  name: {{ include "looklook-lib.componentName" $ctx }}
  labels:
    {{- include "looklook-lib.labels" $ctx | nindent 4 }}
  annotations:
    helm.sh/hook: pre-install,pre-upgrade
    helm.sh/hook-weight: "-5"
    helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
spec:
  backoffLimit: {{ $m.backoffLimit }}
  activeDeadlineSeconds: {{ $m.activeDeadlineSeconds }}
  ttlSecondsAfterFinished: 3600
  template:
    metadata:
      labels:
        {{- include "looklook-lib.labels" $ctx | nindent 8 }}
    spec:
      restartPolicy: Never
      automountServiceAccountToken: false
      enableServiceLinks: false
      {{- with $v.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "looklook-lib.podSecurityContext" $ctx | nindent 8 }}
      containers:
        - name: migrate
          image: {{ include "looklook-lib.image" $ctx | quote }}
          imagePullPolicy: {{ $v.image.pullPolicy }}
          args: ["migrate", "-f", {{ printf "/app/etc/%s.yaml" .service | quote }}]
          env:
            - {name: LOOKLOOK_MYSQL__HOST, value: {{ $v.mysql.host | quote }}}
            - {name: LOOKLOOK_MYSQL__PORT, value: {{ $v.mysql.port | quote }}}
            - {name: LOOKLOOK_MYSQL__USER, value: {{ $v.mysql.user | quote }}}
            - {name: LOOKLOOK_MYSQL__DATABASE, value: {{ $svc.database | quote }}}
            - name: LOOKLOOK_MYSQL__PASSWORD
              valueFrom:
                secretKeyRef:
                  name: {{ $v.mysql.existingSecret }}
                  key: {{ $v.mysql.passwordKey }}
          resources:
            {{- toYaml $m.resources | nindent 12 }}
          securityContext:
            {{- include "looklook-lib.containerSecurityContext" $ctx | nindent 12 }}
          volumeMounts:
            - name: tmp
              mountPath: /tmp
      volumes:
        - name: tmp
          emptyDir:
            sizeLimit: 64Mi
{{- end -}}

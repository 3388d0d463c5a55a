{{/* Chart name, truncated to the 63 characters Kubernetes allows in a label. */}}
{{- define "lp-archive.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Full name of the release's objects. */}}
{{- define "lp-archive.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{- define "lp-archive.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "lp-archive.selectorLabels" . }}
app.kubernetes.io/version: {{ include "lp-archive.imageTag" . | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end }}

{{- define "lp-archive.selectorLabels" -}}
app.kubernetes.io/name: {{ include "lp-archive.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}

{{- define "lp-archive.imageTag" -}}
{{- .Values.image.tag | default .Chart.AppVersion }}
{{- end }}

{{- define "lp-archive.image" -}}
{{- printf "%s:%s" .Values.image.repository (include "lp-archive.imageTag" .) }}
{{- end }}

{{- define "lp-archive.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "lp-archive.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{/* Whether the worker talks TLS to Temporal: asked for, a client certificate, or an API key (which needs TLS). */}}
{{- define "lp-archive.temporalTls" -}}
{{- if or .Values.temporal.tls.enabled .Values.temporal.tls.clientCertSecret .Values.temporal.apiKey.secretName }}true{{ end }}
{{- end }}

{{/* Pod security context and the /tmp volume, shared by the worker and the codec server. */}}
{{- define "lp-archive.tmpVolume" -}}
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.worker.tmpSizeLimit }}
{{- end }}

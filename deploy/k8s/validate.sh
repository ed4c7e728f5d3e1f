#!/usr/bin/env bash
# Validates deploy/k8s/*.yaml offline, without a Kubernetes cluster:
#   1. every object against its JSON schema: kubernetes-models (npm; schemas generated from Kubernetes'
#      OpenAPI) for ConfigMap, Secret, Service, Deployment, PodDisruptionBudget; the RabbitMQ Cluster
#      Operator's CRD (its openAPIV3Schema, made a validator by @kubernetes-models/crd-generate) for
#      RabbitmqCluster. Also the ConfigMap `kubectl create configmap` makes from rabbitmq/definitions.json.
#   2. no unknown fields: a TypeScript excess-property check against the same models' types;
#   3. cross-checks no schema makes: references to Secrets/ConfigMaps/keys/volumes, selectors, probe and
#      Service ports, broker addresses, credentials against rabbitmq/definitions.json, the default user.
#   deploy/k8s/validate.sh
# RABBITMQ_CLUSTER_CRD: file or URL holding the RabbitmqCluster CRD (default: the operator v2.1.0 release
# manifest, downloaded). Needs node and npm (packages installed once under ~/.cache/courier-deploy-tools).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=deploy/npm-tools.sh
. "$ROOT/deploy/npm-tools.sh"

CRD="${RABBITMQ_CLUSTER_CRD:-https://github.com/rabbitmq/cluster-operator/releases/download/v2.1.0/cluster-operator.yml}"
tools="$(npm_tools k8s kubernetes-models@5.1.0 @kubernetes-models/crd-generate@5.1.0 typescript@5.9.3 yaml@2.8.1)"
rm -rf "$tools/crd"
if ! (cd "$tools" && node_modules/.bin/crd-generate --input "$CRD" --output "$tools/crd" >/dev/null); then
  echo "FAIL could not read the RabbitmqCluster CRD from $CRD (offline? set RABBITMQ_CLUSTER_CRD to a copy)" >&2
  exit 1
fi
[ -f "$tools/crd/_schemas/RabbitmqComV1beta1RabbitmqCluster.js" ] || { echo "FAIL no RabbitmqCluster CRD in $CRD" >&2; exit 1; }
echo "ok   RabbitmqCluster CRD from $CRD"
cp "$HERE/validate.mjs" "$tools/"
node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON "$tools/validate.mjs" "$ROOT" "$tools/crd"

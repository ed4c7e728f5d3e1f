// Run by deploy/k8s/validate.sh (copied next to its npm packages): validates deploy/k8s/*.yaml.
//   node validate.mjs REPO_ROOT CRD_MODELS_DIR
// CRD_MODELS_DIR: what crd-generate made of the RabbitmqCluster CRD (a validator and TypeScript types).
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, posix } from "node:path";
import { pathToFileURL } from "node:url";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const [root, crdDir] = process.argv.slice(2);
const here = dirname(new URL(import.meta.url).pathname);
let failures = 0;
const fail = (where, message) => {
  failures++;
  console.log(`FAIL ${where}: ${message}`);
};
const ok = (message) => console.log(`ok   ${message}`);

// ------------------------------------------------------------------ read
const docs = [];
for (const file of readdirSync(join(root, "deploy/k8s")).filter((f) => /\.ya?ml$/.test(f)).sort()) {
  const parsed = parseAllDocuments(readFileSync(join(root, "deploy/k8s", file), "utf8"), { uniqueKeys: true });
  parsed.forEach((doc, index) => {
    if (doc.errors.length) return fail(`${file} #${index + 1}`, `YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
    const obj = doc.toJS();
    if (obj) docs.push({ where: `${file} #${index + 1} ${obj.kind}/${obj.metadata?.name}`, obj });
  });
}
// The ConfigMap rabbitmq-cluster.yaml mounts, as kubectl makes it from the repository's definitions.
const definitionsText = readFileSync(join(root, "rabbitmq/definitions.json"), "utf8");
docs.push({
  where: "ConfigMap/courier-rabbitmq-definitions (kubectl create configmap … --from-file=definitions.json=rabbitmq/definitions.json)",
  obj: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "courier-rabbitmq-definitions" }, data: { "definitions.json": definitionsText } },
});

// ---------------------------------------------------- 1. JSON schemas
const crdSchema = pathToFileURL(join(crdDir, "_schemas/RabbitmqComV1beta1RabbitmqCluster.js")).href;
const kinds = {
  "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "ConfigMap", "IConfigMap"],
  "v1/Secret": ["kubernetes-models/v1/Secret", "Secret", "ISecret"],
  "v1/Service": ["kubernetes-models/v1/Service", "Service", "IService"],
  "apps/v1/Deployment": ["kubernetes-models/apps/v1/Deployment", "Deployment", "IDeployment"],
  "policy/v1/PodDisruptionBudget": ["kubernetes-models/policy/v1/PodDisruptionBudget", "PodDisruptionBudget", "IPodDisruptionBudget"],
  "rabbitmq.com/v1beta1/RabbitmqCluster": [`./${posix.relative(here, crdDir)}/rabbitmq.com/v1beta1/RabbitmqCluster`, null, "IRabbitmqCluster"],
};
const known = docs.filter(({ where, obj }) => kinds[`${obj.apiVersion}/${obj.kind}`] || fail(where, `no schema for ${obj.apiVersion} ${obj.kind}`));
const schemaFailures = failures;
for (const { where, obj } of known) {
  const [module, model] = kinds[`${obj.apiVersion}/${obj.kind}`];
  if (model) {
    const Model = (await import(module))[model];
    try {
      new Model(obj).validate();
    } catch (e) {
      fail(where, `schema: ${e.message}`);
    }
  } else {
    const { validate } = await import(crdSchema);
    if (!validate(obj)) {
      for (const e of validate.errors) fail(where, `CRD schema: ${e.instancePath} ${e.message ?? `${e.keyword} ${JSON.stringify(e.params)}`}`);
    }
  }
}
if (failures === schemaFailures) ok(`${known.length} objects: types, required fields, enums, formats (Kubernetes OpenAPI schemas of kubernetes-models; the RabbitmqCluster CRD's openAPIV3Schema)`);

// ---------------------------------- 2. unknown fields (as kubectl's strict field validation rejects them)
// TypeScript's excess-property check of each object, as a literal, against the same models' types.
const imports = [...new Set(known.map(({ obj }) => kinds[`${obj.apiVersion}/${obj.kind}`]))]
  .map(([module, , type]) => `import type { ${type} } from "${module}";`);
const lines = [...imports];
const ranges = [];
known.forEach(({ where, obj }, i) => {
  const text = `export const d${i}: ${kinds[`${obj.apiVersion}/${obj.kind}`][2]} = ${JSON.stringify(obj, null, 2)};`.split("\n");
  ranges.push({ where, from: lines.length + 1, to: lines.length + text.length });
  lines.push(...text);
});
writeFileSync(join(here, "check.ts"), lines.join("\n") + "\n");
let tscOutput = "";
try {
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck",
    "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", join(here, "check.ts")], { encoding: "utf8" });
} catch (e) {
  tscOutput = e.stdout || String(e);
}
const tscFailures = failures;
for (const line of tscOutput.split("\n").filter(Boolean)) {
  const m = /check\.ts\((\d+),\d+\): error TS\d+: (.*)/.exec(line);
  if (!m) continue; // continuation lines of the message before
  const range = ranges.find((r) => +m[1] >= r.from && +m[1] <= r.to);
  fail(range?.where ?? "check.ts", m[2].replace(/ does not exist in type '.{120,}'/, " is not a field there"));
}
if (failures === tscFailures && tscOutput) fail("check.ts", tscOutput.slice(0, 2000));
if (failures === tscFailures) ok(`${known.length} objects: no unknown fields (TypeScript excess-property check against the same models' types)`);

// ------------------------------------------------------ 3. cross-checks
const crossFailures = failures;
const of = (kind) => docs.filter(({ obj }) => obj.kind === kind);
const byName = (kind, name) => of(kind).find(({ obj }) => obj.metadata?.name === name)?.obj;
const keysOf = (obj) => new Set([...Object.keys(obj?.data ?? {}), ...Object.keys(obj?.stringData ?? {})]);
const valueOf = (obj, key) => obj?.stringData?.[key] ?? (obj?.data?.[key] !== undefined
  ? (obj.kind === "Secret" ? Buffer.from(obj.data[key], "base64").toString() : obj.data[key]) : undefined);
const subset = (labels, selector) => Object.entries(selector ?? {}).every(([k, v]) => labels?.[k] === v);
const verifyHash = (password, hash) => { // RabbitMQ's rabbit_password_hashing_sha256: base64(salt(4) + sha256(salt + password))
  const raw = Buffer.from(hash, "base64");
  return createHash("sha256").update(Buffer.concat([raw.subarray(0, 4), Buffer.from(password)])).digest().equals(raw.subarray(4));
};
const definitions = JSON.parse(definitionsText);
const users = new Map(definitions.users.map((u) => [u.name, u]));
const vhosts = new Set(definitions.vhosts.map((v) => v.name));

function checkRef(where, kind, name, key) {
  const target = byName(kind, name);
  if (!target) return fail(where, `refers to ${kind} ${name}, which is not defined here`);
  if (key !== undefined && !keysOf(target).has(key)) fail(where, `refers to key ${key} of ${kind} ${name}, which it lacks`);
}
function checkPodRefs(where, podSpec) {
  for (const container of [...(podSpec.containers ?? []), ...(podSpec.initContainers ?? [])]) {
    for (const env of container.env ?? []) {
      const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
      if (ref) checkRef(`${where} env ${env.name}`, env.valueFrom.secretKeyRef ? "Secret" : "ConfigMap", ref.name, ref.key);
    }
    for (const from of container.envFrom ?? []) {
      if (from.secretRef) checkRef(`${where} envFrom`, "Secret", from.secretRef.name);
      if (from.configMapRef) checkRef(`${where} envFrom`, "ConfigMap", from.configMapRef.name);
    }
    const volumeNames = new Set((podSpec.volumes ?? []).map((v) => v.name));
    for (const mount of container.volumeMounts ?? []) {
      if (!volumeNames.has(mount.name)) fail(where, `volumeMount ${mount.name} has no volume`);
    }
  }
  for (const volume of podSpec.volumes ?? []) {
    const [kind, name] = volume.configMap ? ["ConfigMap", volume.configMap.name] : volume.secret ? ["Secret", volume.secret.secretName] : [];
    if (!kind) continue;
    checkRef(`${where} volume ${volume.name}`, kind, name);
    for (const item of (volume.configMap ?? volume.secret).items ?? []) checkRef(`${where} volume ${volume.name}`, kind, name, item.key);
  }
}
const envValue = (container, name) => {
  const env = (container.env ?? []).find((e) => e.name === name);
  if (!env) return undefined;
  if (env.value !== undefined) return env.value;
  const ref = env.valueFrom?.secretKeyRef ?? env.valueFrom?.configMapKeyRef;
  return ref && valueOf(byName(env.valueFrom.secretKeyRef ? "Secret" : "ConfigMap", ref.name), ref.key);
};

const clusters = of("RabbitmqCluster").map(({ obj }) => obj);
for (const { where, obj: cluster } of of("RabbitmqCluster")) {
  const spec = cluster.spec ?? {};
  if (spec.replicas !== 3) fail(where, `replicas ${JSON.stringify(spec.replicas)}, want 3 (quorum queues and streams)`);
  if (!/^rabbitmq:3\.10[.-]/.test(spec.image ?? "")) fail(where, `image ${JSON.stringify(spec.image)}, want rabbitmq:3.10-…`);
  for (const plugin of ["rabbitmq_stomp", "rabbitmq_web_stomp"]) {
    if (!(spec.rabbitmq?.additionalPlugins ?? []).includes(plugin)) fail(where, `additionalPlugins lacks ${plugin}`);
  }
  const podSpec = spec.override?.statefulSet?.spec?.template?.spec ?? {};
  checkPodRefs(where, podSpec);
  // load_definitions names the directory the definition files are mounted in.
  const dir = /^\s*load_definitions\s*=\s*(\S+)/m.exec(spec.rabbitmq?.additionalConfig ?? "")?.[1];
  const mounts = (podSpec.containers ?? []).find((c) => c.name === "rabbitmq")?.volumeMounts ?? [];
  const definitionFiles = mounts.filter((m) => dir && posix.dirname(m.mountPath) === dir.replace(/\/$/, ""));
  if (!dir || !definitionFiles.length || !definitionFiles.every((m) => m.mountPath.endsWith(".json"))) {
    fail(where, `load_definitions = ${dir}: no .json files mounted there`);
  }
  // The default user: our Secret in the operator's format, and the same user (password hash) in the definitions.
  const secretName = spec.secretBackend?.externalSecret?.name;
  const admin = byName("Secret", secretName);
  if (!admin) {
    fail(where, `secretBackend.externalSecret ${secretName}: no such Secret`);
    continue;
  }
  for (const key of ["username", "password", "default_user.conf", "host", "port", "provider", "type"]) checkRef(where, "Secret", secretName, key);
  const [username, password] = [valueOf(admin, "username"), valueOf(admin, "password")];
  const conf = valueOf(admin, "default_user.conf") ?? "";
  if (!conf.includes(`default_user = ${username}`) || !conf.includes(`default_pass = ${password}`)) {
    fail(where, `${secretName}: default_user.conf does not hold username/password`);
  }
  const imported = definitionFiles.map((m) => {
    const volume = (podSpec.volumes ?? []).find((v) => v.name === m.name);
    const source = byName(volume?.configMap ? "ConfigMap" : "Secret", volume?.configMap?.name ?? volume?.secret?.secretName);
    const key = ((volume?.configMap ?? volume?.secret)?.items ?? []).find((i) => i.path === m.subPath)?.key ?? m.subPath;
    try {
      return JSON.parse(valueOf(source, key));
    } catch (e) {
      fail(where, `definitions file ${m.mountPath}: ${e.message}`);
      return {};
    }
  });
  const adminUser = imported.flatMap((d) => d.users ?? []).find((u) => u.name === username);
  if (!adminUser || !verifyHash(password, adminUser.password_hash) || !String(adminUser.tags).includes("administrator")) {
    fail(where, `the imported definitions lack administrator ${username} with the password of Secret ${secretName}`);
  }
  const allVhosts = new Set(imported.flatMap((d) => (d.vhosts ?? []).map((v) => v.name)));
  for (const p of imported.flatMap((d) => d.permissions ?? [])) {
    if (!allVhosts.has(p.vhost)) fail(where, `permission of ${p.user} on vhost ${p.vhost}, which no definitions file declares`);
  }
}

// host:port of the operator's client Service (named after the cluster) and the plugin behind each port.
const clusterPorts = (cluster) => new Map([[5672, true], [15672, true],
  [61613, cluster.spec?.rabbitmq?.additionalPlugins?.includes("rabbitmq_stomp")],
  [15674, cluster.spec?.rabbitmq?.additionalPlugins?.includes("rabbitmq_web_stomp")]]);
function checkAddress(where, address) {
  const m = /^(?:https?:\/\/)?([^:/]+):(\d+)\/?$/.exec(address.trim());
  const cluster = m && clusters.find((c) => m[1] === c.metadata.name || m[1].endsWith(`.${c.metadata.name}-nodes`));
  if (!cluster || !clusterPorts(cluster).get(+m[2])) fail(where, `${address} is not a port of a RabbitmqCluster's Service defined here`);
}
const credentialPairs = [["SPRING_RABBITMQ_USERNAME", "SPRING_RABBITMQ_PASSWORD"], ["COURIER_RELAY_LOGIN", "COURIER_RELAY_PASSCODE"],
  ["COURIER_ADMIN_BROKER_USERNAME", "COURIER_ADMIN_BROKER_PASSWORD"]];
for (const { where, obj: deployment } of of("Deployment")) {
  const spec = deployment.spec ?? {};
  const podLabels = spec.template?.metadata?.labels;
  if (!subset(podLabels, spec.selector?.matchLabels)) fail(where, "selector does not match the pod template's labels");
  const podSpec = spec.template?.spec ?? {};
  checkPodRefs(where, podSpec);
  for (const container of podSpec.containers ?? []) {
    const portNames = new Set((container.ports ?? []).flatMap((p) => [p.name, p.containerPort]));
    for (const probe of ["readinessProbe", "livenessProbe", "startupProbe"]) {
      const port = container[probe]?.httpGet?.port ?? container[probe]?.tcpSocket?.port;
      if (port !== undefined && !portNames.has(port)) fail(where, `${container.name} ${probe} port ${port} is not a container port`);
    }
    for (const name of ["COURIER_RELAY_ADDRESSES", "SPRING_RABBITMQ_ADDRESSES", "COURIER_ADMIN_BROKER_URL"]) {
      for (const address of String(envValue(container, name) ?? "").split(",").filter(Boolean)) checkAddress(`${where} ${name}`, address);
    }
    for (const [userVar, passwordVar] of credentialPairs) {
      const [user, password] = [envValue(container, userVar), envValue(container, passwordVar)];
      if (user === undefined && password === undefined) continue;
      if (!users.has(user) || !verifyHash(password ?? "", users.get(user).password_hash)) {
        fail(where, `${userVar}/${passwordVar}: ${user} and that password do not match rabbitmq/definitions.json`);
      }
    }
    const vhost = envValue(container, "SPRING_RABBITMQ_VIRTUAL_HOST") ?? envValue(container, "COURIER_RELAY_VIRTUAL_HOST");
    if (vhost !== undefined && !vhosts.has(vhost)) fail(where, `virtual host ${vhost} is not in rabbitmq/definitions.json`);
  }
}
for (const { where, obj: service } of of("Service")) {
  const target = of("Deployment").find(({ obj }) => subset(obj.spec?.template?.metadata?.labels, service.spec?.selector));
  if (!target) {
    fail(where, "selects no Deployment's pods");
    continue;
  }
  const ports = new Set(target.obj.spec.template.spec.containers.flatMap((c) => (c.ports ?? []).flatMap((p) => [p.name, p.containerPort])));
  for (const port of service.spec.ports ?? []) {
    if (!ports.has(port.targetPort ?? port.port)) fail(where, `targetPort ${port.targetPort} is not a port of ${target.where}`);
  }
}
for (const { where, obj: pdb } of of("PodDisruptionBudget")) {
  const target = of("Deployment").find(({ obj }) => subset(obj.spec?.template?.metadata?.labels, pdb.spec?.selector?.matchLabels));
  if (!target) fail(where, "selects no Deployment's pods");
  else if (typeof pdb.spec.minAvailable === "number" && pdb.spec.minAvailable >= (target.obj.spec.replicas ?? 1)) {
    fail(where, `minAvailable ${pdb.spec.minAvailable} leaves no pod of ${target.where} evictable`);
  }
}
for (const { where, obj: secret } of of("Secret")) {
  for (const [key, value] of Object.entries(secret.stringData ?? {})) {
    if (key.endsWith("PASSWORDHASH") && !/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(value)) fail(where, `${key} is not a bcrypt hash`);
  }
}
if (failures === crossFailures) {
  ok("references (Secrets, ConfigMaps, keys, volumes), selectors, probe and Service ports, broker addresses and ports, "
    + "credentials against rabbitmq/definitions.json, the operator's default user in the imported definitions");
}
process.exit(failures ? 1 : 0);

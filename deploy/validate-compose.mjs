// Run by deploy/validate-compose.sh (copied next to its npm packages): checks Compose files against the
// Compose Specification's JSON schema and cross-checks what a schema cannot see.
//   node validate-compose.mjs REPO_ROOT FILE...
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { parseAllDocuments } from "yaml";

const require = createRequire(import.meta.url);
const [root, ...files] = process.argv.slice(2);
let failures = 0;
const fail = (file, message) => {
  failures++;
  console.log(`FAIL ${file}: ${message}`);
};

// The Compose Specification's JSON schema as dclint ships it (a recent copy; draft-07), with every error reported
// (dclint itself stops at the first). Its custom formats (duration, ports, expose, ...) are not checked here.
const schemaPath = join(dirname(require.resolve("dclint/package.json")), "schemas/compose.schema.json");
const schema = JSON.parse(readFileSync(schemaPath, "utf8"));
delete schema.$schema; // "https://json-schema.org/draft-07/schema": ajv knows draft-07 as http://…#
const ajv = new Ajv({ allErrors: true, strict: false, allowUnionTypes: true, logger: false });
addFormats(ajv);
const validate = ajv.compile(schema);

for (const file of files) {
  const docs = parseAllDocuments(readFileSync(resolve(root, file), "utf8"), { merge: true, uniqueKeys: true });
  if (docs.length !== 1 || docs[0].errors.length) {
    fail(file, `YAML: ${docs.flatMap((d) => d.errors).map((e) => e.message).join("; ") || "one document expected"}`);
    continue;
  }
  const compose = docs[0].toJS({ maxAliasCount: -1 });
  const before = failures;

  if (!validate(compose)) {
    for (const e of validate.errors) fail(file, `schema: ${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params)}`);
  }

  const services = compose.services ?? {};
  const published = new Map();
  for (const [name, service] of Object.entries(services)) {
    // Files the services mount or build from must exist (a missing bind-mount source becomes an empty directory).
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0] : volume.source;
      if (source?.startsWith(".") && !existsSync(resolve(root, source))) fail(file, `${name}: volume source ${source} does not exist`);
    }
    if (service.build) {
      const context = resolve(root, service.build.context ?? ".");
      if (!existsSync(join(context, service.build.dockerfile ?? "Dockerfile"))) fail(file, `${name}: no Dockerfile ${service.build.dockerfile}`);
    }
    // Published on loopback only, and each host port once.
    for (const port of service.ports ?? []) {
      const text = String(typeof port === "object" ? `${port.host_ip}:${port.published}:${port.target}` : port);
      if (!text.startsWith("127.0.0.1:")) fail(file, `${name}: port ${text} is not bound to 127.0.0.1`);
      const hostPort = text.split(":")[1];
      if (published.has(hostPort)) fail(file, `${name}: host port ${hostPort} also published by ${published.get(hostPort)}`);
      published.set(hostPort, name);
    }
    for (const dependency of Object.keys(service.depends_on ?? {})) {
      if (!services[dependency]) fail(file, `${name}: depends_on unknown service ${dependency}`);
    }
    // host:port lists the gateway connects to name services of this file (their DNS names).
    const environment = service.environment ?? {};
    for (const key of ["COURIER_RELAY_ADDRESSES", "SPRING_RABBITMQ_ADDRESSES"]) {
      for (const address of String(environment[key] ?? "").split(",").filter(Boolean)) {
        const [host, port] = address.trim().split(":");
        if (!services[host] || !/^\d+$/.test(port ?? "")) fail(file, `${name}: ${key} entry ${address} is not host:port of a service`);
      }
    }
  }
  for (const [name, secret] of Object.entries(compose.secrets ?? {})) {
    if (secret.file && !existsSync(resolve(root, secret.file))) fail(file, `secret ${name}: ${secret.file} does not exist`);
  }

  // classic_config peer discovery: a node is rabbit@<its container's hostname>, and its peers reach it by DNS,
  // i.e. by service name: each node a RabbitMQ config names must be a service whose hostname is its name.
  for (const [name, service] of Object.entries(services)) {
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0] : volume.source;
      if (!source?.endsWith(".conf") || !existsSync(resolve(root, source))) continue;
      const conf = readFileSync(resolve(root, source), "utf8");
      for (const [, node] of conf.matchAll(/^cluster_formation\.classic_config\.nodes\.\d+\s*=\s*(\S+)/gm)) {
        const host = node.split("@")[1];
        if (services[host]?.hostname !== host) fail(file, `${name}: ${source} names ${node}, but no service ${host} has hostname ${host}`);
      }
    }
  }
  if (failures === before) console.log(`ok   ${file}: Compose Specification schema, paths, ports, addresses, peer nodes`);
}
process.exit(failures ? 1 : 0);

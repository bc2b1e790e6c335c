// Validates Kubernetes manifests (kubectl kustomize output on stdin) against the Kubernetes API's
// own schemas: kubernetes-models ships the OpenAPI definitions of every built-in kind as JSON
// Schema, so this runs offline. Exits 1 listing every invalid resource and every resource of a
// kind it cannot check, unless that kind is one of the operators' custom resources named in
// CUSTOM_RESOURCES (their schemas come with the operators, not with Kubernetes).
//
//   kubectl kustomize deploy/k8s/overlays/dev | node deploy/k8s/validate/validate.mjs
import { parseAllDocuments } from "yaml";

const CUSTOM_RESOURCES = new Set([
  "postgresql.cnpg.io/v1 Cluster",
  "kafka.strimzi.io/v1beta2 Kafka",
  "kafka.strimzi.io/v1beta2 KafkaNodePool",
  "redis.redis.opstreelabs.in/v1beta2 Redis",
]);

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

const problems = [];
let checked = 0;
let custom = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    problems.push(`YAML: ${document.errors.map((e) => e.message).join("; ")}`);
    continue;
  }
  const resource = document.toJS();
  if (resource == null) continue;
  const { apiVersion, kind } = resource;
  const name = `${apiVersion} ${kind} ${resource.metadata?.name}`;
  // core/v1 lives at kubernetes-models/v1, the others at kubernetes-models/<group>/<version>.
  let Model;
  try {
    Model = (await import(`kubernetes-models/${apiVersion}/${kind}`))[kind];
  } catch {
    if (CUSTOM_RESOURCES.has(`${apiVersion} ${kind}`)) {
      custom++;
      continue;
    }
    problems.push(`${name}: no schema for this kind (a typo in apiVersion or kind?)`);
    continue;
  }
  try {
    new Model(resource).validate();
    checked++;
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}

for (const problem of problems) console.error(`invalid: ${problem}`);
console.log(`${checked} resources valid against the Kubernetes API schemas, ${custom} operator custom resources, ${problems.length} problems`);
process.exit(problems.length === 0 && checked > 0 ? 0 : 1);

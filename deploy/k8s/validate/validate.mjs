// Validates Kubernetes manifests (kubectl kustomize output on stdin) against the Kubernetes API's
// own schemas: kubernetes-models ships the OpenAPI definitions of every built-in kind as JSON
// Schema, so this runs offline. Exits 1 listing every invalid resource and every resource of a
// kind it cannot check, unless that kind is one of the operators' custom resources named in
// CUSTOM_RESOURCES (their schemas come with the operators, not with Kubernetes).
//
// The schemas allow fields they do not know (so would an API server without strict field
// validation: it drops them silently, and a misspelt `replicaz` would deploy one replica). Unknown
// fields are found by the TypeScript compiler instead: each resource becomes an object literal
// typed with kubernetes-models' interface of its kind, and an excess-property error names the
// field (the compiler stops at the first one of each resource).
//
//   kubectl kustomize deploy/k8s/overlays/dev | node deploy/k8s/validate/validate.mjs
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
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
const typed = []; // resources with a schema, for the unknown-field check
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
    typed.push({ name, apiVersion, kind, resource });
  } catch (error) {
    problems.push(`${name}: ${error.message}`);
  }
}

problems.push(...unknownFields(typed));

/** Excess-property errors of every resource typed as its kind's interface, by resource name. */
function unknownFields(resources) {
  if (resources.length === 0) return [];
  // Inside this folder, so that the compiler resolves kubernetes-models from its node_modules.
  const dir = mkdtempSync(join(dirname(fileURLToPath(import.meta.url)), ".check-"));
  try {
    const file = join(dir, "manifests.ts");
    // One resource per line: a diagnostic's line names its resource.
    const lines = resources.map(
      ({ apiVersion, kind, resource }, i) =>
        `import type { I${kind} as T${i} } from "kubernetes-models/${apiVersion}/${kind}"; ` +
        `export const r${i}: T${i} = ${JSON.stringify(resource)};`,
    );
    writeFileSync(file, lines.join("\n"));
    const program = ts.createProgram([file], {
      noEmit: true,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      target: ts.ScriptTarget.ES2022,
      skipLibCheck: true,
      types: [],
    });
    const found = [];
    for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, " ");
      if (diagnostic.file?.fileName !== file) {
        found.push(`type check: ${text}`);
        continue;
      }
      // 2353: "Object literal may only specify known properties"; 2561: the same, "Did you mean".
      if (diagnostic.code !== 2353 && diagnostic.code !== 2561) continue;
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
      found.push(`${resources[line].name}: unknown field: ${text}`);
    }
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const problem of problems) console.error(`invalid: ${problem}`);
console.log(`${checked} resources valid against the Kubernetes API schemas, ${custom} operator custom resources, ${problems.length} problems`);
process.exit(problems.length === 0 && checked > 0 ? 0 : 1);

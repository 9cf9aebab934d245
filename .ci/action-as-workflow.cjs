// Turns an action's metadata (action.yml) into a workflow actionlint can check, since actionlint checks workflows,
// not action metadata: the action's inputs become workflow_dispatch inputs (so every `inputs.x` is type-checked),
// a composite's steps become the job's steps (ids, `steps.<id>.outputs`, `if:`, `uses:`, shells), the outputs'
// values and a container action's runs.env become a last step's env (so their expressions are checked too).
//   node action-as-workflow.cjs ACTION_YML OUT_YML      (js-yaml from the lint's npm prefix, on NODE_PATH)
const fs = require("fs");
const yaml = require("js-yaml");

const [src, out] = process.argv.slice(2);
const action = yaml.load(fs.readFileSync(src, "utf8"));
const inputs = {};
for (const [name, spec] of Object.entries(action.inputs || {})) {
  inputs[name] = { description: spec.description || name, required: !!spec.required, type: "string" };
  if (spec.default !== undefined && !/\$\{\{/.test(String(spec.default))) inputs[name].default = String(spec.default);
}
const runs = action.runs || {};
const steps = runs.using === "composite" ? [...runs.steps] : [];
const env = {};
for (const [name, spec] of Object.entries(action.outputs || {})) {
  if (spec.value !== undefined) env[`OUTPUT_${name.toUpperCase().replace(/-/g, "_")}`] = spec.value;
}
Object.assign(env, runs.env || {});
steps.push({ name: "the action's outputs and env", env, run: "true" });
const workflow = {
  name: `${action.name} (action metadata, checked as a workflow)`,
  on: { workflow_dispatch: { inputs } },
  jobs: { action: { "runs-on": "ubuntu-latest", steps } },
};
fs.writeFileSync(out, `# generated from ${src}\n` + yaml.dump(workflow, { lineWidth: -1, noRefs: true }));

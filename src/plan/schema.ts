/**
 * The JSON Schema of plan files (YAML or JSON). `infermark plan --schema`
 * prints it. Unknown keys are errors, so a typo never silently does nothing.
 */
import { durationSchema as duration, nonEmptyStringsSchema as nonEmptyStrings, percentSchema as percent } from '../core/json-schema.js';
import { findScenario, scenarioNames } from '../scenarios/registry.js';
const settingValue = { type: ['string', 'number', 'boolean'] } as const;

const batchScan = {
  type: 'object',
  additionalProperties: false,
  description: 'double the batch from `from` until throughput gains less than `threshold`, memory runs out, or `max` is reached',
  properties: {
    from: { type: 'integer', minimum: 1, default: 1 },
    max: { type: 'integer', minimum: 1, default: 1024 },
    threshold: { ...percent, default: '5%' },
  },
} as const;

/** The fields of one plan entry; scenarios and their options come from the scenario registry. */
function entryProperties() {
  const scenarioOptions = Object.fromEntries(scenarioNames()
    .map((name) => findScenario(name)!.options)
    .filter((o) => o !== undefined)
    .map((o) => [o.key, o.schema]));
  return {
    models: { ...nonEmptyStrings, description: 'ONNX file paths (relative to the plan file) or zoo:NAME' },
    runtimes: { ...nonEmptyStrings, description: 'runtime names or runtime:provider pairs' },
    providers: nonEmptyStrings,
    settings: {
      type: 'object',
      description: 'setting grids: NAME (every runtime that has it) or RUNTIME.NAME -> a value or a non-empty list of values',
      additionalProperties: { anyOf: [settingValue, { type: 'array', items: settingValue, minItems: 1 }] },
    },
    format: {
      description: "model format: native (a zoo network as the framework's own model, same weights) or onnx; a list is an axis; applies to the runtimes that have a format setting",
      anyOf: [{ enum: ['native', 'onnx'] }, { type: 'array', items: { enum: ['native', 'onnx'] }, minItems: 1 }],
    },
    batch: {
      description: 'batch sizes, or "scan", or a scan object',
      anyOf: [
        { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 },
        { type: 'integer', minimum: 1 },
        { const: 'scan' },
        { type: 'object', additionalProperties: false, required: ['scan'], properties: { scan: batchScan } },
      ],
    },
    scenarios: { type: 'array', items: { enum: scenarioNames() }, minItems: 1 },
    dims: { type: 'object', additionalProperties: { type: 'integer', minimum: 1 } },
    batchDim: { type: 'string', minLength: 1, description: 'the symbolic dimension that carries the batch' },
    inputs: { type: 'object', additionalProperties: { type: ['number', 'boolean', 'string'] }, description: 'input values: a constant, or a .npy/.pb/.json file' },
    inputsDir: { type: 'string', minLength: 1, description: 'a test_data_set folder of input_K.pb files' },
    shapes: { type: 'object', additionalProperties: { type: 'array', items: { type: 'integer', minimum: 1 }, minItems: 1 } },
    ...scenarioOptions,
  };
}

/** The plan schema with every registered scenario. */
export function planSchema() {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://infermark.dev/plan.schema.json',
    title: 'infermark plan',
    type: 'object',
    additionalProperties: false,
    properties: {
      name: { type: 'string' },
      description: { type: 'string' },
      ...entryProperties(),
      repeat: { type: 'integer', minimum: 1, description: 'run every trial this many times in fresh processes' },
      seed: { type: 'integer', minimum: 0 },
      cpus: { type: 'array', items: { type: 'integer', minimum: 0 }, minItems: 1, uniqueItems: true, description: 'pin each runner and every thread it starts to these cores' },
      timeout: duration,
      stopping: {
        type: 'object',
        additionalProperties: false,
        properties: {
          warmup: { type: 'integer', minimum: 0 },
          minSamples: { type: 'integer', minimum: 1 },
          minTime: duration,
          maxTime: duration,
          targetCi: percent,
        },
      },
      probes: {
        type: 'object',
        additionalProperties: false,
        properties: {
          sampleInterval: duration,
          energy: { enum: ['auto', 'off', 'estimate'] },
          idleBaseline: duration,
        },
      },
      entries: {
        type: 'array',
        minItems: 1,
        description: 'several experiments in one plan; each entry overrides the top-level fields',
        items: { type: 'object', additionalProperties: false, properties: { name: { type: 'string' }, ...entryProperties() } },
      },
    },
  };
}

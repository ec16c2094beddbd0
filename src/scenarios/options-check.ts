/**
 * A scenario's options from its CLI flags, checked by the scenario's own
 * JSON Schema: the one that validates the same key in a plan file and that
 * `plan --schema` prints. A bad flag names the flag, the value and what the
 * schema allows, and exits 2 like any input error.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { durationSchema, percentSchema, type JsonSchema } from '../core/json-schema.js';
import { invalidValue } from '../errors/input-error.js';
import { splitList } from '../core/parse-values.js';
import type { Scenario } from './scenario.js';

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<JsonSchema, ValidateFunction>();

function validatorOf(schema: JsonSchema): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) compiled.set(schema, (v = ajv.compile(schema)));
  return v;
}

/** What a schema allows, in words, for an error message. */
export function allowedBy(schema: JsonSchema): string {
  const s = schema as { type?: string; enum?: unknown[]; minimum?: number; exclusiveMinimum?: number; maximum?: number; description?: string; pattern?: string; items?: JsonSchema };
  if (s.enum) return s.enum.join(', ');
  if (s.type === 'integer' || s.type === 'number') {
    const what = s.type === 'integer' ? 'an integer' : 'a number';
    const bounds = [
      s.minimum !== undefined ? `>= ${s.minimum}` : undefined,
      s.exclusiveMinimum !== undefined ? `> ${s.exclusiveMinimum}` : undefined,
      s.maximum !== undefined ? `<= ${s.maximum}` : undefined,
    ].filter(Boolean);
    return bounds.length ? `${what} ${bounds.join(' and ')}` : what;
  }
  if (s.type === 'array') return `a comma-separated list of ${s.items ? allowedBy(s.items) : 'values'}`;
  // A shared fragment (a duration, a percentage) keeps its own words where a field gave it another description.
  const fragment = [durationSchema, percentSchema].find((f) => f.pattern === s.pattern);
  if (fragment) return fragment.description;
  return s.type === 'boolean' ? 'true, false' : s.description ?? `a ${s.type ?? 'value'}`;
}

/** A flag's text in the type its schema asks for; text that does not parse stays text, for the schema to refuse. */
function fromText(text: string, schema: JsonSchema): unknown {
  const type = (schema as { type?: string }).type;
  if ((type === 'integer' || type === 'number') && /^\s*-?\d+(\.\d+)?([eE][+-]?\d+)?\s*$/.test(text)) return Number(text);
  if (type === 'boolean' && (text === 'true' || text === 'false')) return text === 'true';
  if (type === 'array') return splitList(text).map((item) => fromText(item, (schema as { items?: JsonSchema }).items ?? {}));
  return text;
}

/** The field name of one option key in errors: its flag where it came from one. */
export type FieldOf = (key: string) => string;

/**
 * The options a scenario's flags give, in the plan's form, checked by its
 * schema; undefined when none of its flags is given. `positionals` fill the
 * key the scenario names for them.
 */
export function optionsFromFlags(
  scenario: Scenario, given: Record<string, string | undefined>, positionals: string[] = [],
): Record<string, unknown> | undefined {
  const schema = scenario.options?.schema;
  if (!schema) return undefined;
  const properties = ((schema as { properties?: Record<string, JsonSchema> }).properties) ?? {};
  const out: Record<string, unknown> = {};
  const flagOf: Record<string, string> = {};
  for (const [flag, key] of Object.entries(scenario.flags ?? {})) {
    const text = given[flag];
    if (text === undefined) continue;
    out[key] = fromText(text, properties[key] ?? {});
    flagOf[key] = `--${flag}`;
  }
  const hasFlags = Object.keys(out).length > 0;
  if (scenario.positionals && positionals.length) out[scenario.positionals] = positionals;
  if (!hasFlags && !(scenario.positionals && positionals.length)) return undefined;
  const validate = validatorOf(schema);
  if (!validate(out)) {
    const error = validate.errors![0];
    const key = error.instancePath.split('/')[1] ?? '';
    const field = flagOf[key] ?? `${scenario.options!.key}.${key}`;
    throw invalidValue(field, given[field.slice(2)] ?? out[key], allowedBy(properties[key] ?? schema));
  }
  return out;
}

/** The typed options of a scenario from their plan form (durations parsed, defaults filled). */
export function resolveOptions(scenario: Scenario, value: Record<string, unknown>, fieldOf?: FieldOf): unknown {
  const key = scenario.options!.key;
  return scenario.options!.resolve ? scenario.options!.resolve(value, fieldOf ?? ((k) => `${key}.${k}`)) : value;
}

/** Every flag of every scenario, flag -> the scenario that declares it. */
export function scenarioFlags(scenarios: Scenario[]): Map<string, Scenario> {
  const out = new Map<string, Scenario>();
  for (const s of scenarios) for (const flag of Object.keys(s.flags ?? {})) out.set(flag, s);
  return out;
}

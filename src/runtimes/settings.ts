/**
 * Turning user-given setting strings into typed values, checked against a
 * runtime's SettingSpec. Every error names the setting, the value and what
 * is allowed.
 */
import type { Settings, SettingValue } from '../results/types.js';
import type { SettingSpec } from './runtime.js';
import { InputError, invalidValue } from '../errors/input-error.js';

export function describeAllowed(spec: SettingSpec): string {
  switch (spec.type) {
    case 'enum': return (spec.values ?? []).join(', ');
    case 'bool': return 'true, false';
    case 'int':
    case 'number': return `${spec.type === 'int' ? 'an integer' : 'a number'}${spec.min !== undefined ? ` >= ${spec.min}` : ''}${spec.max !== undefined ? ` and <= ${spec.max}` : ''}`;
    default: return 'any text';
  }
}

export function parseSettingValue(runtime: string, spec: SettingSpec, raw: SettingValue): SettingValue {
  const field = `${runtime} setting ${spec.name}`;
  const text = String(raw).trim();
  switch (spec.type) {
    case 'int':
    case 'number': {
      const n = typeof raw === 'number' ? raw : text === '' ? NaN : Number(text);
      if (!Number.isFinite(n) || (spec.type === 'int' && !Number.isInteger(n)) || (spec.min !== undefined && n < spec.min) || (spec.max !== undefined && n > spec.max)) {
        throw invalidValue(field, raw, describeAllowed(spec));
      }
      return n;
    }
    case 'bool': {
      if (raw === true || ['true', 'on', '1', 'yes'].includes(text)) return true;
      if (raw === false || ['false', 'off', '0', 'no'].includes(text)) return false;
      throw invalidValue(field, raw, describeAllowed(spec));
    }
    case 'enum': {
      if (!(spec.values ?? []).includes(text)) throw invalidValue(field, raw, describeAllowed(spec));
      return text;
    }
    default:
      return text;
  }
}

/** Check every given setting against the runtime's specs; unknown names are an error that lists the known ones. */
export function resolveSettings(runtime: string, specs: SettingSpec[], given: Settings): Settings {
  const out: Settings = {};
  for (const [name, value] of Object.entries(given)) {
    const spec = specs.find((s) => s.name === name);
    if (!spec) {
      const known = specs.map((s) => s.name).join(', ') || '(none)';
      throw new InputError(`${runtime} setting`, `${runtime} setting ${JSON.stringify(name)} is unknown; ${runtime} settings: ${known}`);
    }
    out[name] = parseSettingValue(runtime, spec, value);
  }
  return out;
}

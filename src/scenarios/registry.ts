/**
 * Every scenario, by name. Adding one: its file, one line here, its tests.
 * `registerScenario` lets a library user (or a test) add one at run time.
 * Registered with the module specifier that defines it, it runs in the
 * runner too: a forked runner imports that module before the trial
 * (loadScenario), since it does not share the parent's registry.
 */
import { InputError } from '../errors/input-error.js';
import type { Scenario } from './scenario.js';
import { singleStream } from './single-stream.js';
import { offline } from './offline.js';
import { server } from './server.js';
import { ensemble } from './ensemble.js';

const SCENARIOS = new Map<string, Scenario>([singleStream, offline, server, ensemble].map((s) => [s.name, s]));
/** Scenarios registered at run time from a module: name -> the specifier a runner imports. */
const MODULES = new Map<string, string>();

export function scenarioNames(): string[] {
  return [...SCENARIOS.keys()];
}

export function findScenario(name: string): Scenario | undefined {
  return SCENARIOS.get(name);
}

export function getScenario(name: string): Scenario {
  const s = SCENARIOS.get(name);
  if (!s) throw new InputError('--scenario', `--scenario: ${JSON.stringify(name)} is not a scenario; scenarios: ${scenarioNames().join(', ')}`);
  return s;
}

export interface RegisterOptions {
  /**
   * A module specifier (a file: URL, an absolute path or a package name)
   * whose module exports this scenario as `scenario` or as its default
   * export. Without it the scenario runs only in the parent (runsIn 'parent').
   */
  module?: string;
}

export function registerScenario(scenario: Scenario, options: RegisterOptions = {}): () => void {
  if (SCENARIOS.has(scenario.name)) throw new Error(`scenario ${scenario.name} is already registered`);
  SCENARIOS.set(scenario.name, scenario);
  if (options.module) MODULES.set(scenario.name, options.module);
  return () => {
    SCENARIOS.delete(scenario.name);
    MODULES.delete(scenario.name);
  };
}

/** The module a runner imports to know a scenario registered at run time; undefined for the built-in ones. */
export function scenarioModule(name: string): string | undefined {
  return MODULES.get(name);
}

/**
 * In a runner: the scenario by name, importing `module` first when it is not
 * registered in this process. The module may register the scenario itself
 * or export it (as `scenario` or default).
 */
export async function loadScenario(name: string, module: string | undefined): Promise<Scenario | undefined> {
  if (SCENARIOS.has(name) || !module) return SCENARIOS.get(name);
  const exported = await import(module) as { scenario?: Scenario; default?: Scenario };
  const s = [exported.scenario, exported.default].find((x) => x?.name === name);
  if (s && !SCENARIOS.has(name)) registerScenario(s, { module });
  return SCENARIOS.get(name);
}

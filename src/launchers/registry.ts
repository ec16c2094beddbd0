/** Every launcher, by name. Adding one: its file, one line here, its tests. */
import { InputError } from '../errors/input-error.js';
import type { Launcher } from './launcher.js';
import { LocalLauncher } from './local.js';

const LAUNCHERS: Record<string, () => Launcher> = {
  local: () => new LocalLauncher(),
};

export function launcherNames(): string[] {
  return Object.keys(LAUNCHERS);
}

export function createLauncher(name = 'local'): Launcher {
  const make = LAUNCHERS[name];
  if (!make) throw new InputError('launcher', `launcher ${JSON.stringify(name)} is not known; launchers: ${launcherNames().join(', ')}`);
  return make();
}

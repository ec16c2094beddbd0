/**
 * Finding the Chromium-family executable: the path the user gave (--browser
 * or the `browser` setting), else chromium / chromium-browser / Chrome on
 * PATH. Nothing is downloaded: without a browser the chromium runtimes are
 * unavailable, with what to do.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

export const NO_BROWSER_REASON = 'no Chromium found: install chromium (apt-get install chromium) or pass --browser PATH';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome-stable', 'google-chrome', 'chrome'];

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

export type BrowserLookup = { path: string } | { reason: string };

export function findBrowser(given?: string, searchPath = process.env.PATH ?? ''): BrowserLookup {
  if (given) {
    return isExecutable(given) ? { path: given } : { reason: `browser: ${JSON.stringify(given)} is not an executable file; give the path of a Chromium-family browser (e.g. /usr/bin/chromium)` };
  }
  for (const dir of searchPath.split(delimiter).filter(Boolean)) {
    for (const name of NAMES) {
      const p = join(dir, name);
      if (isExecutable(p)) return { path: p };
    }
  }
  return { reason: NO_BROWSER_REASON };
}

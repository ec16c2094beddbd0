/**
 * The operators the torch importer maps, asked of the importer itself: the
 * Python that hosts the torch worker loads python/infermark_torch/ops and
 * prints its registry's names. Several converters register in loops, so
 * reading the decorators' text would miss names.
 */
import { execFile } from 'node:child_process';
import { dirname } from 'node:path';
import { workerScriptPath } from '../runtimes/python-worker/worker-client.js';

const LIST_OPS = 'import json, sys; sys.path.insert(0, sys.argv[1]); from infermark_torch.ops import OPS; print(json.dumps(sorted(OPS)))';

export function torchOperatorNames(python: string, timeoutMs = 120_000): Promise<Set<string>> {
  return new Promise((resolve, reject) => {
    execFile(python, ['-B', '-c', LIST_OPS, dirname(workerScriptPath())], { timeout: timeoutMs, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      if (err) {
        reject(new Error(`torch: cannot list the importer's operators with ${python}: ${(stderr || err.message).trim().split('\n').pop()}`));
        return;
      }
      try {
        resolve(new Set(JSON.parse(stdout) as string[]));
      } catch {
        reject(new Error(`torch: the importer's operator list from ${python} is not JSON: ${stdout.slice(0, 200)}`));
      }
    });
  });
}

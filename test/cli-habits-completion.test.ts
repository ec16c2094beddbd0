/**
 * The completion scripts in the shells they are for: each parses, and a real
 * completion in each shell completes a command, a flag and a run id. bash is
 * driven through its completion function and compgen, zsh through its own
 * completion system in a pseudo-terminal (zpty), fish through `complete -C`.
 * scripts/setup-system.sh installs zsh and fish; these tests never skip.
 */
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './helpers/models.js';
import { runCli } from './helpers/cli.js';

const RUN_ID = '20261127-120000-abcd';

/** A folder holding the script for `shell` and, in bin/, an `infermark` that lists one run as `infermark runs` does. */
function setUp(t: TestContext, shell: 'bash' | 'zsh' | 'fish'): { dir: string; script: string; env: Record<string, string> } {
  const dir = tempDir('infermark-completion-');
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const r = runCli(['completion', shell]);
  assert.equal(r.code, 0, r.stderr);
  mkdirSync(join(dir, 'fp'));
  const script = join(dir, 'fp', shell === 'zsh' ? '_infermark' : `infermark.${shell}`);
  writeFileSync(script, r.stdout);
  mkdirSync(join(dir, 'bin'));
  const fake = join(dir, 'bin', 'infermark');
  writeFileSync(fake, `#!/bin/sh\n[ "$1" = runs ] || exit 0\necho 'id                    date (UTC)           trials  machine  plan'\necho '${RUN_ID}  2026-11-27 12:00:00  2  host  m.onnx on fake'\n`);
  chmodSync(fake, 0o755);
  return { dir, script, env: { ...process.env, PATH: `${join(dir, 'bin')}:${process.env.PATH}`, HOME: dir } as Record<string, string> };
}

function sh(cmd: string, args: string[], env: Record<string, string>, timeoutMs = 30_000) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: timeoutMs });
  assert.equal(r.error, undefined, `${cmd} could not run: ${r.error?.message} (scripts/setup-system.sh installs it)`);
  return r;
}

test('bash: the script parses, and completes a command, a flag and a run id', (t) => {
  const { script, env } = setUp(t, 'bash');
  assert.equal(sh('bash', ['-n', script], env).status, 0);
  const complete = (words: string[]) => sh('bash', ['-c', `source '${script}'; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _infermark; printf '%s\\n' "\${COMPREPLY[@]}"`], env).stdout.trim().split('\n');
  assert.deepEqual(complete(['infermark', 'ru']).sort(), ['run', 'runs', 'runtimes']);
  assert.deepEqual(complete(['infermark', 'report', '-']).sort(), ['--db', '--format', '--help', '--title', '-o']);
  assert.deepEqual(complete(['infermark', 'compare', '2026']), [RUN_ID]);
  assert.deepEqual(complete(['infermark', 'export', 'latest~']), ['latest~1', 'latest~2']);
});

test('fish: the script parses, and `complete -C` lists commands, flags and run ids', (t) => {
  const { script, env } = setUp(t, 'fish');
  const parse = sh('fish', ['--no-execute', script], env);
  assert.equal(parse.status, 0, parse.stderr);
  const complete = (line: string) => {
    const r = sh('fish', ['--no-config', '-c', `source '${script}'; complete -C '${line}'`], env);
    assert.equal(r.stderr, '', `fish printed an error completing '${line}'`);
    return r.stdout.trim().split('\n').map((l) => l.split('\t')[0]);
  };
  assert.deepEqual(complete('infermark ru').sort(), ['run', 'runs', 'runtimes']);
  assert.deepEqual(complete('infermark run --export-').sort(), ['--export-csv', '--export-json', '--export-markdown']);
  assert.deepEqual(complete('infermark report 2026'), [RUN_ID]);
  // No infermark on PATH: run ids are simply not offered, with no error from fish.
  const bare = sh('fish', ['--no-config', '-c', `source '${script}'; complete -C 'infermark report lat'`], { ...env, PATH: '/usr/bin:/bin' });
  assert.equal(bare.stderr, '');
  assert.deepEqual(bare.stdout.trim().split('\n').sort(), ['latest', 'latest~1', 'latest~2']);
});

test('zsh: the script parses, registers itself when sourced, and completes in a real zsh line editor', (t) => {
  const { dir, script, env } = setUp(t, 'zsh');
  const parse = sh('zsh', ['-n', script], env);
  assert.equal(parse.status, 0, parse.stderr);
  const sourced = sh('zsh', ['-f', '-c', `fpath=('${dir}/fp' $fpath); autoload -Uz compinit; compinit -u -d '${dir}/zcompdump'; source '${script}'; print -r -- $_comps[infermark]`], env);
  assert.equal(sourced.stdout.trim(), '_infermark', sourced.stderr);

  // An interactive zsh in a pseudo-terminal, the script autoloaded from $fpath as a user installs it:
  // type a partial word, press TAB, and read what the line editor wrote back.
  const driver = join(dir, 'drive.zsh');
  writeFileSync(driver, `zmodload zsh/zpty
zpty z zsh -f -i
zpty -w z "PS1='> '; fpath=('${dir}/fp' \\$fpath); autoload -Uz compinit; compinit -u -d '${dir}/zcompdump'"
zpty -w -n z $'infermark run --export-j\\t'
zpty -w z $'\\C-e; print DONE1'
zpty -w -n z $'infermark report 20261127-12\\t'
zpty -w z $'\\C-e; print DONE2'
out=''
for i in {1..300}; do
  zpty -r -t z line && { out+=$line; continue; }
  [[ $out == *$'\\n'DONE2* ]] && break
  sleep 0.1
done
zpty -d z
print -r -- "$out"
`);
  const r = sh('zsh', ['-f', driver], env, 60_000);
  // Strip the terminal's escape sequences and bells, keep the text.
  const text = r.stdout.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/[\x07\x08]/g, '');
  assert.match(text, /\nDONE2/, `zsh did not finish: ${text.slice(-500)}`);
  assert.match(text, /infermark run --export-json/, `TAB did not complete the flag: ${text.slice(-500)}`);
  assert.match(text, new RegExp(`infermark report ${RUN_ID}`), `TAB did not complete the run id: ${text.slice(-500)}`);
});

#!/usr/bin/env node
/**
 * The only place that reads argv and decides the exit code. `main` can be
 * called from a test with its own argv and output sinks.
 */
import { COMMANDS, HIDDEN_COMMANDS } from './commands.js';
import type { CommandIO } from './command.js';
import { InputError } from '../errors/input-error.js';
import { TOOL_VERSION } from '../version.js';

function helpText(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `infermark ${TOOL_VERSION}: benchmark deep-learning inference runtimes\n\nUsage: infermark <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'infermark <command> --help' for a command's options.\n`;
}

export async function main(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(helpText());
    return 0;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${TOOL_VERSION}\n`);
    return 0;
  }
  const entry = COMMANDS[name] ?? HIDDEN_COMMANDS[name];
  if (!entry) {
    io.stderr(`infermark: unknown command ${JSON.stringify(name)}; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  const command = (await entry.load()).default;
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof InputError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`infermark ${name}: ${(err as Error).message}\n`);
      return 2;
    }
    throw err;
  }
}

const isEntry = process.argv[1] && import.meta.url === new URL(`file://${(await import('node:fs')).realpathSync(process.argv[1])}`).href;
/**
 * A reader that stops early (`infermark export RUN | head`) closes the pipe:
 * the next write fails with EPIPE. That is the reader's choice, not an error:
 * end quietly with status 0, as cat and git do.
 */
export function quietOnClosedPipe(stream: NodeJS.WriteStream, exit: (code: number) => void = (c) => process.exit(c)): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') exit(0);
    else throw err;
  });
}

if (isEntry) {
  quietOnClosedPipe(process.stdout);
  const io: CommandIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
  };
  main(process.argv.slice(2), io).then(
    (code) => { process.exitCode = code; },
    (err) => { process.stderr.write(`infermark: internal error: ${(err as Error).stack ?? err}\n`); process.exitCode = 3; },
  );
}

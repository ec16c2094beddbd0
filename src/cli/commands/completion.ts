/** `infermark completion bash|zsh|fish`: a completion script on stdout. */
import type { Command } from '../command.js';
import { COMMANDS } from '../commands.js';
import { InputError, invalidValue } from '../../errors/input-error.js';
import { bashCompletion, fishCompletion, flagsFromUsage, zshCompletion, type CompletionSpec } from '../completion.js';

const SHELLS = { bash: bashCompletion, zsh: zshCompletion, fish: fishCompletion } as const;

const command: Command = {
  summary: 'print a shell completion script for bash, zsh or fish',
  usage: `Usage: infermark completion bash|zsh|fish

Prints a completion script: commands, each command's flags, and run ids
(latest, latest~N, the ids 'infermark runs' lists) where a run is taken.

  bash:  infermark completion bash > ~/.local/share/bash-completion/completions/infermark
  zsh:   infermark completion zsh > "\${fpath[1]}/_infermark"
  fish:  infermark completion fish > ~/.config/fish/completions/infermark.fish`,
  async run(argv, io) {
    if (argv.length !== 1) throw new InputError('SHELL', `completion takes one shell name (bash, zsh or fish), got ${argv.length}`);
    const shell = argv[0];
    if (!(shell in SHELLS)) throw invalidValue('SHELL', shell, Object.keys(SHELLS).join(', '));
    const spec: CompletionSpec = { commands: {} };
    for (const [name, entry] of Object.entries(COMMANDS)) spec.commands[name] = flagsFromUsage((await entry.load()).default.usage);
    io.stdout(SHELLS[shell as keyof typeof SHELLS](spec));
    return 0;
  },
};

export default command;

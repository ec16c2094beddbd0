/**
 * Shell completion scripts for bash, zsh and fish, made from the command
 * table and each command's own usage text (the flags it documents), so a
 * new flag is completed as soon as its usage line exists. Where a command
 * takes a run, the run ids come from 'infermark runs' at completion time.
 */

export interface CompletionSpec {
  /** Command name to its flags, e.g. { run: ['--runtime', '--batch', '-q'] }. */
  commands: Record<string, string[]>;
}

/** Commands whose positional arguments are run ids. */
const RUN_COMMANDS = ['report', 'export', 'compare'];

/** The flags a usage text documents: every "-x" or "--name" at the start of an option line. */
export function flagsFromUsage(usage: string): string[] {
  const flags = new Set<string>();
  for (const line of usage.split('\n')) {
    const m = /^\s{2,}((?:-[A-Za-z]|--[a-z][a-z0-9-]*)(?:,\s*--[a-z][a-z0-9-]*)?)/.exec(line);
    if (!m) continue;
    for (const f of m[1].split(/,\s*/)) flags.add(f);
  }
  flags.add('--help');
  return [...flags];
}

const RUN_IDS = `infermark runs 2>/dev/null | awk 'NR>1 {print $1}'`;

export function bashCompletion(spec: CompletionSpec): string {
  const names = Object.keys(spec.commands).join(' ');
  const cases = Object.entries(spec.commands).map(([c, flags]) => `    ${c}) flags="${flags.join(' ')}" ;;`).join('\n');
  return `# bash completion for infermark: source it, or save it as
# ~/.local/share/bash-completion/completions/infermark
_infermark() {
  local cur cmd flags
  cur="\${COMP_WORDS[COMP_CWORD]}"
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W "${names} --help --version" -- "$cur") )
    return 0
  fi
  cmd="\${COMP_WORDS[1]}"
  case "$cmd" in
${cases}
    *) flags="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$flags" -- "$cur") )
    return 0
  fi
  case "$cmd" in
    ${RUN_COMMANDS.join('|')}) COMPREPLY=( $(compgen -W "latest latest~1 latest~2 $(${RUN_IDS})" -- "$cur") ) ;;
    *) COMPREPLY=( $(compgen -f -- "$cur") ) ;;
  esac
  return 0
}
complete -o default -F _infermark infermark
`;
}

export function zshCompletion(spec: CompletionSpec): string {
  const names = Object.keys(spec.commands).join(' ');
  const cases = Object.entries(spec.commands).map(([c, flags]) => `    ${c}) flags=(${flags.join(' ')}) ;;`).join('\n');
  return `#compdef infermark
# zsh completion for infermark: save it as _infermark in a folder of $fpath
_infermark() {
  local -a commands flags
  commands=(${names})
  if (( CURRENT == 2 )); then
    compadd -- $commands --help --version
    return
  fi
  case $words[2] in
${cases}
    *) flags=() ;;
  esac
  if [[ $PREFIX == -* ]]; then
    compadd -- $flags
  elif [[ $words[2] == (${RUN_COMMANDS.join('|')}) ]]; then
    compadd -- latest latest~1 latest~2 \${(f)"$(${RUN_IDS})"}
  else
    _files
  fi
}
# Autoloaded from $fpath, this file's body runs at the first completion: define, then complete.
# Sourced, it registers itself.
if [[ $funcstack[1] == _infermark ]]; then
  _infermark "$@"
else
  compdef _infermark infermark
fi
`;
}

export function fishCompletion(spec: CompletionSpec): string {
  const names = Object.keys(spec.commands);
  const lines = [
    '# fish completion for infermark: save it as ~/.config/fish/completions/infermark.fish',
    // fish reports an unknown command itself, past any redirection: ask only when infermark is on PATH.
    'function __infermark_run_ids',
    '    command -q infermark; or return',
    `    ${RUN_IDS}`,
    'end',
    `complete -c infermark -n '__fish_use_subcommand' -f -a '${names.join(' ')}'`,
  ];
  for (const [c, flags] of Object.entries(spec.commands)) {
    for (const f of flags) {
      const opt = f.startsWith('--') ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`;
      lines.push(`complete -c infermark -n '__fish_seen_subcommand_from ${c}' ${opt}`);
    }
  }
  lines.push(`complete -c infermark -n '__fish_seen_subcommand_from ${RUN_COMMANDS.join(' ')}' -f -a 'latest latest~1 latest~2 (__infermark_run_ids)'`);
  return `${lines.join('\n')}\n`;
}

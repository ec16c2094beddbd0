/** A CLI command: loaded lazily so `--help` never pulls in a runtime. */
export interface CommandIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stderr is a terminal (progress lines redraw in place). */
  isTTY: boolean;
}

export interface Command {
  /** One line for the command list. */
  summary: string;
  /** Full usage text for `infermark CMD --help`. */
  usage: string;
  /** Returns the process exit code: 0 ok, 1 some trial failed or a check failed, 2 usage or input error. */
  run(argv: string[], io: CommandIO): Promise<number>;
}

export interface CommandEntry {
  summary: string;
  load: () => Promise<{ default: Command }>;
}

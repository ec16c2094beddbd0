/**
 * An error in what the user gave: a flag, a plan field, a file. The CLI prints
 * its message on one line, without a stack trace, and exits with code 2.
 */
export class InputError extends Error {
  readonly field: string;
  constructor(field: string, message: string) {
    super(message);
    this.name = 'InputError';
    this.field = field;
  }
}

/** "field: value 'x' is not allowed; allowed: a, b" in one place so every message reads alike. */
export function invalidValue(field: string, value: unknown, allowed: string): InputError {
  return new InputError(field, `${field}: ${JSON.stringify(value)} is not valid; allowed: ${allowed}`);
}

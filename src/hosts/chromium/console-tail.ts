/** The last lines a page wrote to its console (and its uncaught errors), for failure messages. */
export class ConsoleTail {
  private readonly lines: string[] = [];
  constructor(private readonly maxLines = 30, private readonly maxChars = 400) {}

  push(kind: string, text: string): void {
    this.lines.push(`[${kind}] ${text.length > this.maxChars ? `${text.slice(0, this.maxChars)}…` : text}`);
    if (this.lines.length > this.maxLines) this.lines.shift();
  }

  toString(): string {
    return this.lines.length ? this.lines.join('\n') : '(the page wrote nothing to its console)';
  }
}

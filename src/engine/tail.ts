/** Keeps the last N bytes of a stream's text: what a failed trial reports of its stderr. */
export class TailBuffer {
  private text = '';
  constructor(private readonly maxChars = 4000) {}

  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.maxChars * 2) this.text = this.text.slice(-this.maxChars);
  }

  toString(): string {
    return this.text.slice(-this.maxChars);
  }
}

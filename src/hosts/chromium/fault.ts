/** A page that crashed, hung, threw, or lost its browser: the reason and the console tail, in one error. */
export type FaultKind = 'crash' | 'hang' | 'throw' | 'closed' | 'launch';

export class BrowserFault extends Error {
  constructor(readonly kind: FaultKind, reason: string, readonly consoleTail: string) {
    super(`${reason}\npage console (last lines):\n${consoleTail}`);
    this.name = 'BrowserFault';
  }
}

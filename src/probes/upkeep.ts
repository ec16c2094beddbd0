/**
 * What every sampling probe does besides reading its sensor: count the time
 * it spends (its own cost, reported as overheadMs), turn an unexpected throw
 * into a recorded failure instead of a crash, and run one periodic sampler.
 */
export class ProbeUpkeep {
  /** Time spent in the probe's hooks and samples, ms. */
  overheadMs = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onUnexpected: (message: string) => void) {}

  timed(fn: () => void): void {
    const t0 = performance.now();
    try {
      fn();
    } catch (err) {
      this.onUnexpected(`unexpected: ${(err as Error).message}`);
    } finally {
      this.overheadMs += performance.now() - t0;
    }
  }

  /** Sample every intervalMs (timed) until stop(); the timer never keeps the process alive. */
  every(intervalMs: number, sample: () => void): void {
    this.stop();
    this.timer = setInterval(() => this.timed(sample), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

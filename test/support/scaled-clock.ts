/**
 * A clock that runs `scale` times faster than wall time and can jump over idle spells, so an hour of
 * GitHub's rate limits plays out in seconds. Everything that reads time in a scaled run (stand-ins,
 * the handler's `now`) must read this clock; request timeouts and stand-in latencies stay in wall time
 * (one wall millisecond is `scale` clock milliseconds).
 */
export class ScaledClock {
  private readonly startedAt = performance.now();
  private skipped = 0;

  constructor(
    /** Clock milliseconds per wall millisecond. */
    readonly scale: number,
    /** Clock time at the start, epoch ms. @default Date.now() */
    private readonly origin = Date.now(),
  ) {}

  /** Clock time, epoch ms. */
  readonly now = (): number =>
    Math.floor(this.origin + (performance.now() - this.startedAt) * this.scale + this.skipped);

  /** Jumps forward to `epochMs` when that is ahead (nothing happens in between). */
  skipTo(epochMs: number): void {
    const gap = epochMs - this.now();
    if (gap > 0) this.skipped += gap;
  }

  /** Clock milliseconds jumped over so far. */
  get skippedMs(): number {
    return this.skipped;
  }

  /** Waits `clockMs` of clock time (wall time divided by the scale). */
  sleep(clockMs: number): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, Math.max(0, clockMs / this.scale)));
  }
}

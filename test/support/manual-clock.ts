/** A clock that moves only when told to. Pass `() => clock.now()` where a `now` function is wanted. */
export class ManualClock {
  constructor(private current = 1_800_000_000_000) {}

  now(): number {
    return this.current;
  }

  /** Moves the clock forward by `ms`. */
  advance(ms: number): void {
    this.current += ms;
  }

  /** Sets the clock to `ms` (epoch). */
  set(ms: number): void {
    this.current = ms;
  }
}

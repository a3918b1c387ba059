/** GitHub's secondary limits as the benchmark's yardstick. */
export interface WindowLimits {
  readonly perMinute: number;
  readonly perHour: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

/**
 * The least time, in ms, from the first to the last of `count` dispatches at the allowed sustained
 * rate: one every `60 s / perMinute` (80 a minute: one every 750 ms), and at most `perHour` in any
 * sliding hour. The yardstick of "fraction of the allowed rate". With `burst`, dispatches may also
 * bunch up to `perMinute` at once (what the windows alone permit, though GitHub asks for serial
 * requests): the absolute lower bound. Pure.
 */
export function fastestSpanMs(count: number, limits: WindowLimits, burst = false): number {
  const times: number[] = [];
  const spacing = burst ? 0 : MINUTE / limits.perMinute;
  for (let i = 0; i < count; i++) {
    let t = i === 0 ? 0 : (times[i - 1] ?? 0) + spacing;
    const minuteAgo = times[i - limits.perMinute];
    if (minuteAgo !== undefined) t = Math.max(t, minuteAgo + MINUTE);
    const hourAgo = times[i - limits.perHour];
    if (hourAgo !== undefined) t = Math.max(t, hourAgo + HOUR);
    times.push(t);
  }
  return times[times.length - 1] ?? 0;
}

/** Most events of `times` (ascending) inside any window of `windowMs` open at its start. Pure. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[start] ?? 0) <= (times[end] ?? 0) - windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

/** Dispatches a minute over the first `count` of `times` (ascending), from the first to the last. Pure. */
export function ratePerMinute(times: readonly number[], count: number): number {
  const n = Math.min(count, times.length);
  const first = times[0];
  const last = times[n - 1];
  if (n < 2 || first === undefined || last === undefined || last === first) return 0;
  return ((n - 1) / (last - first)) * MINUTE;
}

import cliProgress from "cli-progress";
import type { Terminal } from "./terminal.js";

/** Progress of a long operation: a bar on an interactive stderr, nothing otherwise. */
export interface Progress {
  /** Marks `count` more items as done. */
  increment(count: number): void;
  /** Removes the bar; call before printing the summary. */
  stop(): void;
}

/** Items below which a bar is more flicker than help. */
const MIN_ITEMS_FOR_BAR = 20;

/**
 * A progress bar on stderr for `total` items when stderr is a terminal and output is for people
 * (not `--json`); a silent no-op otherwise, so pipes and scripts see only results.
 */
export function createProgress(
  terminal: Terminal,
  total: number,
  label: string,
  json: boolean,
): Progress {
  if (!terminal.interactive || json || total < MIN_ITEMS_FOR_BAR) {
    return { increment: () => undefined, stop: () => undefined };
  }
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {value}/{total} {percentage}% | {eta_formatted} left`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return {
    increment: (count) => bar.increment(count),
    stop: () => bar.stop(),
  };
}

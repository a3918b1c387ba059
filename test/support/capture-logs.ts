import { format } from "node:util";

/** Output captured from process.stdout/stderr and console.* while a capture runs. */
export interface LogCapture {
  /** Captured output split into lines (empty lines dropped). */
  readonly lines: string[];
  /** Everything captured, as written. */
  readonly text: string;
  /** Puts the original writers back; idempotent. */
  stop(): void;
}

/** Options of a capture. */
export interface LogCaptureOptions {
  /** Also write captured output to the original streams. @default false */
  passThrough?: boolean;
}

const CONSOLE_METHODS = ["log", "info", "warn", "error", "debug", "trace"] as const;
type ConsoleMethod = (typeof CONSOLE_METHODS)[number];
type Write = typeof process.stdout.write;

/**
 * Starts capturing everything written to process.stdout, process.stderr and console.*.
 * Powertools Logger writes through a `Console` bound to process.stdout, so its JSON lines land here.
 * Call `stop()` in a `finally`; prefer {@link captureLogs} for a single block.
 */
export function startLogCapture(options: LogCaptureOptions = {}): LogCapture {
  let text = "";
  const stdoutWrite = process.stdout.write;
  const stderrWrite = process.stderr.write;
  const consoleOriginals = new Map<ConsoleMethod, (...args: unknown[]) => void>(
    CONSOLE_METHODS.map((method) => [method, console[method]]),
  );

  const capturing = (original: Write, stream: NodeJS.WriteStream): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      text += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
      if (options.passThrough) return original.call(stream, chunk, ...(rest as []));
      const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
      callback?.();
      return true;
    }) as Write;

  process.stdout.write = capturing(stdoutWrite, process.stdout);
  process.stderr.write = capturing(stderrWrite, process.stderr);
  for (const method of CONSOLE_METHODS) {
    console[method] = (...args: unknown[]) => {
      text += `${format(...args)}\n`;
      if (options.passThrough) consoleOriginals.get(method)?.apply(console, args);
    };
  }

  let stopped = false;
  return {
    get text() {
      return text;
    },
    get lines() {
      return text.split("\n").filter((line) => line.trim() !== "");
    },
    stop() {
      if (stopped) return;
      stopped = true;
      process.stdout.write = stdoutWrite;
      process.stderr.write = stderrWrite;
      for (const [method, original] of consoleOriginals) console[method] = original;
    },
  };
}

/** Runs `block` while capturing output; returns its result and the captured lines (rethrows its error). */
export async function captureLogs<T>(
  block: () => T | Promise<T>,
  options: LogCaptureOptions = {},
): Promise<{ result: T; lines: string[] }> {
  const capture = startLogCapture(options);
  try {
    const result = await block();
    return { result, lines: capture.lines };
  } finally {
    capture.stop();
  }
}

/** The captured lines that are JSON objects (Powertools Logger and EMF metrics lines), parsed. */
export function jsonLogEntries(lines: string[]): Record<string, unknown>[] {
  return lines.flatMap((line) => {
    try {
      const value: unknown = JSON.parse(line);
      return typeof value === "object" && value !== null && !Array.isArray(value)
        ? [value as Record<string, unknown>]
        : [];
    } catch {
      return [];
    }
  });
}

export { expectNoSecrets } from "./secret-leaks.js";

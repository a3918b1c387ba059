import { stripVTControlCharacters } from "node:util";
import picocolors from "picocolors";

/** The colour functions of picocolors, all of them identity functions when colour is off. */
type Colors = ReturnType<typeof picocolors.createColors>;

/** Where a command writes, and whether it may use colour. */
export interface Terminal {
  /** Results: tables, JSON, summaries. */
  readonly out: (text: string) => void;
  /** Progress, warnings and errors. */
  readonly err: (text: string) => void;
  /** Colours for stdout; identity functions unless stdout is a TTY and NO_COLOR is unset. */
  readonly color: Colors;
  /** Colours for stderr, on the same rule for stderr. */
  readonly errColor: Colors;
  /** True when stderr is a terminal: progress bars go there. */
  readonly interactive: boolean;
  /** The environment (queue URLs, tokens, AWS settings). */
  readonly env: NodeJS.ProcessEnv;
}

interface Stream {
  readonly isTTY?: boolean;
  write(text: string): unknown;
}

/**
 * True when colour is allowed on `stream`: it is a terminal, `NO_COLOR` is unset or empty
 * (https://no-color.org) and `TERM` is not `dumb`.
 */
export function colorAllowed(stream: Stream, env: NodeJS.ProcessEnv): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== "dumb";
}

/** A {@link Terminal} over real streams. */
export function createTerminal(
  stdout: Stream = process.stdout,
  stderr: Stream = process.stderr,
  env: NodeJS.ProcessEnv = process.env,
): Terminal {
  return {
    out: (text) => stdout.write(text.endsWith("\n") ? text : `${text}\n`),
    err: (text) => stderr.write(text.endsWith("\n") ? text : `${text}\n`),
    color: picocolors.createColors(colorAllowed(stdout, env)),
    errColor: picocolors.createColors(colorAllowed(stderr, env)),
    interactive: stderr.isTTY === true,
    env,
  };
}

/** Width of `text` as shown, without colour codes. */
export function visibleWidth(text: string): number {
  return stripVTControlCharacters(text).length;
}

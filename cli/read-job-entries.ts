import { readFile } from "node:fs/promises";
import { failedError, usageError } from "./cli-error.js";

/** One job as read from a file, before validation: its place in the file and its value or a problem. */
export interface JobEntry {
  /** Where it came from: `jobs.ndjson:3` (line) or `jobs.json[2]` (array index). */
  readonly location: string;
  /** The parsed JSON value; absent when the line is not JSON. */
  readonly value?: unknown;
  /** Why the line could not be read; absent when `value` is set. */
  readonly problem?: string;
}

function isNdjsonName(path: string): boolean {
  return /\.(ndjson|jsonl)$/i.test(path);
}

function parseNdjson(text: string, name: string): JobEntry[] {
  const entries: JobEntry[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim().length === 0) return;
    const location = `${name}:${index + 1}`;
    try {
      entries.push({ location, value: JSON.parse(line) });
    } catch (error) {
      entries.push({ location, problem: `not JSON: ${(error as Error).message}` });
    }
  });
  return entries;
}

function parseJson(text: string, name: string): JobEntry[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw failedError(
      `${name}: not valid JSON (${(error as Error).message}); give one job object, an array of jobs, or one job per line (NDJSON)`,
    );
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => ({ location: `${name}[${index}]`, value: item }));
  }
  return [{ location: name, value }];
}

/**
 * Splits the text of a jobs file into entries. `.ndjson`/`.jsonl` files hold one job per line;
 * `.json` files hold one job or an array of jobs; other names are recognised by their content.
 */
export function parseJobEntries(text: string, name: string): JobEntry[] {
  if (text.trim().length === 0) return [];
  if (isNdjsonName(name)) return parseNdjson(text, name);
  if (/\.json$/i.test(name) || text.trimStart().startsWith("[")) return parseJson(text, name);
  try {
    return [{ location: name, value: JSON.parse(text) }];
  } catch {
    return parseNdjson(text, name);
  }
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Reads a jobs file (`-` for stdin) into entries; a missing file is a usage error naming the path. */
export async function readJobEntries(path: string): Promise<JobEntry[]> {
  if (path === "-") return parseJobEntries(await readStdin(), "stdin");
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw usageError(
      code === "ENOENT"
        ? `${path}: no such file`
        : `${path}: cannot read (${code ?? String(error)})`,
    );
  }
  return parseJobEntries(text, path);
}

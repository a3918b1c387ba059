import { usageError } from "./cli-error.js";

/**
 * Turns repeated `--input key=value` options into workflow inputs. The value is everything after the
 * first `=` and stays a string (GitHub converts it to the input's declared type). Throws a usage
 * error naming the bad option and the fix.
 */
export function parseInputs(pairs: readonly string[]): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const pair of pairs) {
    const at = pair.indexOf("=");
    if (at < 0) {
      throw usageError(`--input "${pair}": expected key=value, e.g. --input environment=staging`);
    }
    const key = pair.slice(0, at).trim();
    if (key.length === 0) {
      throw usageError(
        `--input "${pair}": the input name before = is empty, e.g. --input environment=staging`,
      );
    }
    if (Object.hasOwn(inputs, key)) {
      throw usageError(`--input "${pair}": input "${key}" is given twice; pass each input once`);
    }
    inputs[key] = pair.slice(at + 1);
  }
  return inputs;
}

/** Commander collector for a repeatable option: `--input a=1 --input b=2`. */
export function collect(value: string, previous: readonly string[] = []): string[] {
  return [...previous, value];
}

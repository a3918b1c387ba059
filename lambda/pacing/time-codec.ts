/**
 * Ascending times as one compact string, `<first>,<gap>,<gap>...` in base 36 (epoch ms and
 * millisecond gaps): 500 starts a spacing apart take about 2 KB instead of a list of 500 numbers,
 * which keeps ledger reads and writes small (DynamoDB bills by the kilobyte). Pure.
 */
export function encodeTimes(slots: readonly number[]): string {
  let previous = 0;
  return slots
    .map((slot, i) => {
      const value = i === 0 ? slot : slot - previous;
      previous = slot;
      return Math.round(value).toString(36);
    })
    .join(",");
}

/** Reads {@link encodeTimes}' output; an empty string is no slots. Throws on anything else. */
export function decodeTimes(text: string): number[] {
  if (text === "") return [];
  const slots: number[] = [];
  let previous = 0;
  for (const part of text.split(",")) {
    const value = Number.parseInt(part, 36);
    if (!/^-?[0-9a-z]+$/.test(part) || !Number.isFinite(value)) {
      throw new Error(`pacing ledger: "${part}" is not a base-36 time`);
    }
    previous = slots.length === 0 ? value : previous + value;
    slots.push(previous);
  }
  return slots;
}

/** How one numeric cron field is written: its range, names and which wildcards it takes. */
export interface CronFieldSpec {
  /** As AWS names the field: `minutes`, `hours`, `day-of-month`, `month`, `day-of-week`, `year`. */
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names standing for min, min+1, ... (`JAN`..`DEC`, `SUN`..`SAT`), matched case-insensitively. */
  readonly names?: readonly string[];
  /** Whether `/` increments are allowed (AWS documents none for day-of-week). */
  readonly allowStep: boolean;
  /** Whether a range may wrap past the end (`20-2` in hours); the year field does not wrap. */
  readonly wrap: boolean;
}

/** A problem in one field; the cron parser adds the expression and the field around it. */
export class CronFieldProblem extends Error {
  override readonly name = "CronFieldProblem";
}

/** The accepted values of a field for messages: `0-59`, `1-12 or JAN-DEC`. */
function describeRange(spec: CronFieldSpec): string {
  const names = spec.names;
  const range = `${spec.min}-${spec.max}`;
  return names ? `${range} or ${names[0]}-${names[names.length - 1]}` : range;
}

/** Parses one value: a number in range or one of the field's names. */
export function parseCronValue(text: string, spec: CronFieldSpec): number {
  if (/^\d+$/.test(text)) {
    const value = Number(text);
    if (value < spec.min || value > spec.max) {
      throw new CronFieldProblem(`${value} is out of range; use ${describeRange(spec)}`);
    }
    return value;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0) return spec.min + index;
  if (text === "?") {
    throw new CronFieldProblem(
      "? is only allowed in day-of-month or day-of-week; use * for every value",
    );
  }
  throw new CronFieldProblem(`"${text}" is not a valid value; use ${describeRange(spec)}`);
}

function parseStep(text: string, spec: CronFieldSpec): number {
  if (!spec.allowStep) {
    throw new CronFieldProblem(
      `/ is not allowed in ${spec.name}; list the values instead, e.g. MON,WED,FRI`,
    );
  }
  const span = spec.max - spec.min + 1;
  const step = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(step >= 1 && step <= span)) {
    throw new CronFieldProblem(
      `increment "/${text}" must be a whole number from 1 to ${span}, e.g. 0/15`,
    );
  }
  return step;
}

function expandItem(item: string, spec: CronFieldSpec): number[] {
  if (item === "") throw new CronFieldProblem("empty entry in the list; remove the extra comma");
  const [rangeText = "", stepText, extra] = item.split("/");
  if (extra !== undefined) throw new CronFieldProblem(`"${item}" has more than one /`);
  const step = stepText === undefined ? 1 : parseStep(stepText, spec);
  let start: number;
  let end: number;
  if (rangeText === "*") {
    start = spec.min;
    end = spec.max;
  } else if (rangeText.includes("-")) {
    const [from = "", to = "", more] = rangeText.split("-");
    if (more !== undefined || from === "" || to === "") {
      throw new CronFieldProblem(`"${rangeText}" is not a range; write it as first-last, e.g. 1-5`);
    }
    start = parseCronValue(from, spec);
    end = parseCronValue(to, spec);
    if (start > end && !spec.wrap) {
      throw new CronFieldProblem(`range ${from}-${to} runs backwards; write it as ${to}-${from}`);
    }
  } else {
    start = parseCronValue(rangeText, spec);
    end = stepText === undefined ? start : spec.max;
  }
  const size = spec.max - spec.min + 1;
  const span = (end - start + size) % size;
  const values: number[] = [];
  for (let offset = 0; offset <= span; offset += step) {
    values.push(spec.min + ((start - spec.min + offset) % size));
  }
  return values;
}

/**
 * Expands a field of `,` lists, `-` ranges (wrapping where the field allows), `/` increments and `*`
 * into its sorted, unique values. Throws {@link CronFieldProblem}.
 */
export function parseCronValues(text: string, spec: CronFieldSpec): number[] {
  const values = new Set<number>();
  for (const item of text.split(",")) {
    for (const value of expandItem(item, spec)) values.add(value);
  }
  return [...values].sort((a, b) => a - b);
}

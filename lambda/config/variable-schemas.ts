import * as z from "zod";

/**
 * Schemas of single environment variables: each takes the raw value (`string | undefined`), treats an
 * empty value as unset, and reports a bad one by its value and the fix. The variable's name is the
 * issue's path, added by the object schema that holds them (`functionEnvironmentSchema`).
 */

const ON = ["on", "true", "1"];
const OFF = ["off", "false", "0"];

/** True for a variable that is missing or holds only whitespace. */
export function isUnset(raw: string | undefined): raw is undefined {
  return raw === undefined || raw.trim() === "";
}

/** A value as messages show it: quoted, and cut short, since messages name values, not dump them. */
export function shown(raw: string): string {
  return raw.length > 60 ? `${JSON.stringify(raw.slice(0, 60))}...` : JSON.stringify(raw);
}

/** Any variable's raw value. */
export const variableText = z.string({ error: "must be a string" }).optional();

/** A value taken as it is; unset: undefined. */
export function optionalText() {
  return variableText.transform((raw) => (isUnset(raw) ? undefined : raw));
}

/** A value that must be set; `fix` says what to set it to. */
export function requiredText(fix: string) {
  return variableText.transform((raw, ctx) => {
    if (!isUnset(raw)) return raw;
    ctx.addIssue({ code: "custom", message: `not set; ${fix}` });
    return z.NEVER;
  });
}

/** An optional URL; `fix` says what to set it to. */
export function optionalUrl(fix: string) {
  return variableText.transform((raw, ctx) => {
    if (isUnset(raw)) return undefined;
    if (URL.canParse(raw)) return raw;
    ctx.addIssue({ code: "custom", message: `${shown(raw)} is not a URL; ${fix}` });
    return z.NEVER;
  });
}

/** A whole number from `min` to `max`; unset: `fallback`, itself written as the variable would be. */
export function wholeNumber(fallback: string, min: number, max = Number.MAX_SAFE_INTEGER) {
  const kind =
    max !== Number.MAX_SAFE_INTEGER
      ? `a whole number from ${min} to ${max}`
      : min === 1
        ? "a positive integer"
        : `a whole number of at least ${min}`;
  return variableText.transform((raw, ctx) => {
    const n = Number(isUnset(raw) ? fallback : raw);
    if (Number.isInteger(n) && n >= min && n <= max) return n;
    ctx.addIssue({
      code: "custom",
      message: `${shown(raw ?? "")} is not ${kind}; unset it to use ${fallback}`,
    });
    return z.NEVER;
  });
}

/** A switch: on, true, 1 or off, false, 0 in any case; unset: `fallback`. */
export function onOff(fallback: "on" | "off") {
  return variableText.transform((raw, ctx) => {
    const value = (isUnset(raw) ? fallback : raw).trim().toLowerCase();
    if (ON.includes(value)) return true;
    if (OFF.includes(value)) return false;
    ctx.addIssue({
      code: "custom",
      message: `${shown(raw ?? "")} is neither on nor off; use on or off, or unset it to use ${fallback}`,
    });
    return z.NEVER;
  });
}

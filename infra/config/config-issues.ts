import type * as z from "zod";
import { closestName } from "./closest-name.js";

/** `schedules[2] "nightly-audit"`: how every message about a schedule starts. */
export function scheduleLabel(index: number, name: unknown): string {
  return typeof name === "string" && name.length > 0
    ? `schedules[${index}] "${name}"`
    : `schedules[${index}]`;
}

/** Joins a label and a zod path: `schedules[2] "x"` + `["job", "ref"]` -> `schedules[2] "x".job.ref`. */
function fieldPath(label: string, path: readonly PropertyKey[]): string {
  let out = label;
  for (const key of path) {
    if (typeof key === "number") out += `[${key}]`;
    else out += out.length === 0 ? String(key) : `.${String(key)}`;
  }
  return out.length === 0 ? "(config)" : out;
}

/**
 * One message per zod issue, each naming its field. Unknown fields get a "did you mean" hint from
 * `knownFields(path)`, the field names allowed in the object at that path.
 */
export function describeConfigIssues(
  issues: readonly z.core.$ZodIssue[],
  label: string,
  knownFields: (path: readonly PropertyKey[]) => readonly string[],
): string[] {
  return issues.flatMap((issue) => {
    if (issue.code !== "unrecognized_keys") {
      return [`${fieldPath(label, issue.path)}: ${issue.message}`];
    }
    const allowed = knownFields(issue.path);
    return issue.keys.map((key) => {
      const suggestion = closestName(key, allowed);
      const hint = suggestion
        ? `did you mean "${suggestion}"?`
        : `allowed are ${allowed.join(", ")}`;
      return `${fieldPath(label, [...issue.path, key])}: unknown field (${hint})`;
    });
  });
}

/** Normalises a path for a field-name lookup: `["secrets", 2, "pacing"]` -> `secrets[].pacing`. */
export function pathShape(path: readonly PropertyKey[]): string {
  return path
    .map((key) => (typeof key === "number" ? "[]" : `.${String(key)}`))
    .join("")
    .replace(/^\./, "");
}

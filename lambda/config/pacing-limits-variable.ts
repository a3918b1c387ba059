import * as z from "zod";
import { type SecretPacing, secretPacingSchema } from "../pacing/pacing-limits.js";
import { isUnset, shown, variableText } from "./variable-schemas.js";

const EXAMPLE = '{"github/ghes-bot": {"requestsPerMinute": 30}}';

const pacingBlocks = z.record(z.string(), secretPacingSchema, {
  error: (issue) =>
    issue.code === "invalid_type"
      ? `is not a JSON object of secret name to limits; use e.g. ${EXAMPLE}`
      : undefined,
});

/** A problem of the parsed JSON, as its message shows it. */
function blockIssueMessage(issue: z.core.$ZodIssue, raw: string): string {
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `"${k}"`).join(", ");
    const allowed = Object.keys(secretPacingSchema.shape).join(", ");
    return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}; allowed are ${allowed}`;
  }
  if (issue.path.length === 0) return `${shown(raw)} ${issue.message}`;
  if (issue.path.length > 1 && issue.input !== undefined) {
    return `${issue.message}, got ${JSON.stringify(issue.input)}`;
  }
  return issue.message;
}

/**
 * `PACING_LIMITS`: JSON of secret name or ARN to its pacing block, checked with the config's own
 * {@link secretPacingSchema}; every problem gets its own issue, at `[secret, field]`. Unset: none.
 */
export const pacingLimitsVariable = variableText.transform(
  (raw, ctx): Record<string, SecretPacing> => {
    if (isUnset(raw)) return {};
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      ctx.addIssue({ code: "custom", message: `${shown(raw)} is not JSON; use e.g. ${EXAMPLE}` });
      return z.NEVER;
    }
    const result = pacingBlocks.safeParse(parsed, { reportInput: true });
    if (result.success) return result.data;
    for (const issue of result.error.issues) {
      ctx.addIssue({ code: "custom", message: blockIssueMessage(issue, raw), path: issue.path });
    }
    return z.NEVER;
  },
);

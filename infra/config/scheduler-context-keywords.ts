import { closestName } from "./closest-name.js";

/**
 * Scheduler context keywords a schedule's input may carry, substituted when the schedule fires
 * (`<aws.scheduler.scheduled-time>` ...).
 */
const SCHEDULER_CONTEXT_KEYWORDS = [
  "schedule-arn",
  "scheduled-time",
  "execution-id",
  "attempt-number",
] as const;

/** Keywords whose value is new on every delivery attempt of one firing, so they cannot deduplicate. */
const PER_ATTEMPT_KEYWORDS = ["execution-id", "attempt-number"] as const;

const SCHEDULED_TIME = "<aws.scheduler.scheduled-time>";
const KEY_FIX = `remove idempotency_key (the stack keys each firing by schedule ARN and scheduled time) or build it from "<aws.scheduler.schedule-arn>#${SCHEDULED_TIME}"`;

/**
 * The first `<aws.scheduler.…>` in `text` that is not a whole, known keyword, described with a
 * "did you mean"; undefined when every keyword is known.
 */
export function contextKeywordProblem(text: string): string | undefined {
  if (!text.includes("<aws.scheduler.")) return undefined;
  for (const match of text.matchAll(/<aws\.scheduler\.([^>]*)>?/g)) {
    const name = match[1] ?? "";
    if (
      match[0].endsWith(">") &&
      (SCHEDULER_CONTEXT_KEYWORDS as readonly string[]).includes(name)
    ) {
      continue;
    }
    const suggestion = closestName(name, SCHEDULER_CONTEXT_KEYWORDS);
    return `"${match[0]}" is not a Scheduler context keyword${
      suggestion ? ` (did you mean "<aws.scheduler.${suggestion}>"?)` : ""
    }; known are ${SCHEDULER_CONTEXT_KEYWORDS.map((k) => `<aws.scheduler.${k}>`).join(", ")}`;
  }
  return undefined;
}

/**
 * What is wrong with a schedule's own `idempotency_key`, or undefined when it can deduplicate.
 * A duplicate must be recognised by what the firing is, not how it was delivered (DESIGN.md
 * "Idempotency keys"): the key must contain `<aws.scheduler.scheduled-time>`, which is the same on
 * every delivery attempt of one firing and differs between firings, and must not contain
 * `<aws.scheduler.execution-id>` or `<aws.scheduler.attempt-number>`, which change on every attempt
 * and so would let Scheduler's retries of one firing dispatch again.
 */
export function scheduledIdempotencyKeyProblem(key: string): string | undefined {
  const misspelt = contextKeywordProblem(key);
  if (misspelt !== undefined) return misspelt;
  const perAttempt = PER_ATTEMPT_KEYWORDS.map((k) => `<aws.scheduler.${k}>`).filter((k) =>
    key.includes(k),
  );
  if (perAttempt.length > 0) {
    return `${perAttempt.map((k) => `"${k}"`).join(" and ")} ${
      perAttempt.length > 1 ? "change" : "changes"
    } on every delivery attempt, so Scheduler's retries of one firing would not be recognised as duplicates and could each dispatch; ${KEY_FIX}`;
  }
  if (!key.includes(SCHEDULED_TIME)) {
    return `a fixed key makes every firing after the first a duplicate: "${key}" does not contain "${SCHEDULED_TIME}"; ${KEY_FIX}`;
  }
  return undefined;
}

import { unwrapSqsBody } from "../lambda/events/unwrap-sqs-body.js";
import type { DeadLetterMessage } from "./dead-letter-messages.js";
import { readDestinationRecord } from "./read-destination-record.js";

/** Who put a message in the dead-letter queue, which decides where its job and reason are. */
export const DeadLetterKind = {
  /** The function parked the job: the body is the job as received, the attributes say why (`reason`, ...). */
  Parked: "parked",
  /** EventBridge Scheduler could not invoke the function: the body is the schedule's input, `ERROR_CODE` ... say why. */
  Scheduler: "scheduler",
  /** An asynchronous invocation failed: the body is Lambda's on-failure destination record, the job in `requestPayload`. */
  LambdaDestination: "lambda-destination",
  /** Nothing says why, e.g. a job the dispatch queue's redrive policy moved after `maxReceiveCount` receives. */
  Unrecorded: "unrecorded",
} as const;
/** One of {@link DeadLetterKind}. */
export type DeadLetterKind = (typeof DeadLetterKind)[keyof typeof DeadLetterKind];

/** Reason shown for a message that carries none. */
const UNKNOWN_REASON = "(no reason recorded)";

/** A dead-letter message read for what it is. */
export interface ClassifiedDeadLetter {
  readonly message: DeadLetterMessage;
  readonly kind: DeadLetterKind;
  /** The job to send back to the dispatch queue: the body, or for a destination record its `requestPayload`. */
  readonly jobBody: string;
  /** Why it failed, in words. */
  readonly reason: string;
  /** `owner/repo` of the job, when it names one. */
  readonly repository: string | undefined;
  /** The job's `workflow_id`, when known. */
  readonly workflowId: string | undefined;
  /** When it failed (ISO 8601), when known. */
  readonly failedAt: string | undefined;
  /** What the failure record says beyond the reason: schedule ARN, error code, request id, ... */
  readonly details: Readonly<Record<string, string | number>>;
}

/** The attributes EventBridge Scheduler sets on a firing it could not deliver (Scheduler user guide, "Configuring a dead-letter queue"). */
const SCHEDULER_ATTRIBUTES = [
  "ERROR_CODE",
  "ERROR_MESSAGE",
  "EXECUTION_ID",
  "EXHAUSTED_RETRY_CONDITION",
  "IS_PAYLOAD_TRUNCATED",
  "RETRY_ATTEMPTS",
  "SCHEDULED_TIME",
  "SCHEDULE_ARN",
  "TARGET_ARN",
] as const;

function isSchedulerFailure(attributes: Readonly<Record<string, string>>): boolean {
  return (
    attributes.SCHEDULE_ARN !== undefined ||
    (attributes.ERROR_CODE !== undefined && attributes.EXECUTION_ID !== undefined)
  );
}

interface JobIdentity {
  readonly repository: string | undefined;
  readonly workflowId: string | undefined;
}

const NO_IDENTITY: JobIdentity = { repository: undefined, workflowId: undefined };

/** Owner/repo and workflow of the job in `body`, unwrapped from an envelope as the function does. */
function jobIdentity(body: string): JobIdentity {
  try {
    const { job } = unwrapSqsBody(body);
    if (typeof job !== "object" || job === null) return NO_IDENTITY;
    const { owner, repo, workflow_id: workflow } = job as Record<string, unknown>;
    return {
      repository:
        typeof owner === "string" && typeof repo === "string" ? `${owner}/${repo}` : undefined,
      workflowId:
        typeof workflow === "string" || typeof workflow === "number" ? String(workflow) : undefined,
    };
  } catch {
    return NO_IDENTITY;
  }
}

function joinError(code: string | undefined, message: string | undefined): string | undefined {
  if (code && message) return `${code}: ${message}`;
  return code ?? message;
}

function schedulerReason(attributes: Readonly<Record<string, string>>): string {
  const condition = attributes.EXHAUSTED_RETRY_CONDITION;
  const retries = attributes.RETRY_ATTEMPTS;
  const head = condition
    ? `EventBridge Scheduler gave up after ${retries ?? "?"} retries (${condition})`
    : "EventBridge Scheduler could not invoke the function";
  const error = joinError(attributes.ERROR_CODE, attributes.ERROR_MESSAGE);
  return error ? `${head}: ${error}` : head;
}

/**
 * Reads one dead-letter message for what it is (pure: no I/O). The dead-letter queue holds jobs the
 * function parked (`reason` attribute), firings EventBridge Scheduler could not deliver (its
 * `ERROR_CODE`, `SCHEDULE_ARN` ... attributes, body = the schedule's input) and Lambda's on-failure
 * destination records of failed asynchronous invocations (body = the record, job in `requestPayload`);
 * anything else is {@link DeadLetterKind.Unrecorded} and redriven as it is.
 */
export function classifyDeadLetter(message: DeadLetterMessage): ClassifiedDeadLetter {
  const { attributes, body } = message;
  if (attributes.reason !== undefined) {
    // A destination record redriven unchanged (as earlier versions did) was parked as an invalid job:
    // send back the job it carries this time.
    const jobBody = readDestinationRecord(body)?.jobBody ?? body;
    const job = jobIdentity(jobBody);
    return {
      message,
      kind: DeadLetterKind.Parked,
      jobBody,
      reason: attributes.reason,
      repository: attributes.repository ?? job.repository,
      workflowId: attributes.workflow_id ?? job.workflowId,
      failedAt: attributes.failed_at ?? message.sentAt,
      details: {},
    };
  }
  if (isSchedulerFailure(attributes)) {
    const details: Record<string, string> = {};
    for (const name of SCHEDULER_ATTRIBUTES) {
      const value = attributes[name];
      if (value !== undefined) details[name.toLowerCase()] = value;
    }
    return {
      message,
      kind: DeadLetterKind.Scheduler,
      jobBody: body,
      reason: schedulerReason(attributes),
      ...jobIdentity(body),
      failedAt: message.sentAt ?? attributes.SCHEDULED_TIME,
      details,
    };
  }
  const record = readDestinationRecord(body);
  if (record) {
    return {
      message,
      kind: DeadLetterKind.LambdaDestination,
      ...record,
      ...jobIdentity(record.jobBody),
      failedAt: record.failedAt ?? message.sentAt,
    };
  }
  return {
    message,
    kind: DeadLetterKind.Unrecorded,
    jobBody: body,
    reason: UNKNOWN_REASON,
    ...jobIdentity(body),
    failedAt: message.sentAt,
    details: {},
  };
}

import { InvalidJobError } from "../outcome/errors.js";

/** One record of an SQS batch, as Lambda passes it (only the fields the dispatcher reads). */
export interface SqsRecord {
  readonly messageId: string;
  readonly receiptHandle: string;
  readonly body: string;
  readonly attributes?: {
    readonly ApproximateReceiveCount?: string;
    /** The principal that sent the message: an IAM user or role id (a role's then `:` and the session). */
    readonly SenderId?: string;
  };
  readonly messageAttributes?: Readonly<
    Record<string, { readonly stringValue?: string; readonly dataType?: string }>
  >;
  readonly eventSource: "aws:sqs";
  readonly eventSourceARN?: string;
}

/** Where a job came from, as recorded in logs and dead-letter attributes. */
export const EventSource = {
  Scheduler: "scheduler",
  EventBridge: "eventbridge",
  Sqs: "sqs",
} as const;
/** One of {@link EventSource}. */
export type EventSource = (typeof EventSource)[keyof typeof EventSource];

/** The shape of an invocation event, with the unvalidated job where the shape carries one. */
export type EventShape =
  | { readonly kind: typeof EventSource.Scheduler; readonly job: unknown }
  | {
      readonly kind: typeof EventSource.EventBridge;
      readonly job: unknown;
      readonly eventId: string | undefined;
    }
  | { readonly kind: typeof EventSource.Sqs; readonly records: readonly SqsRecord[] };

const EXPECTED =
  "expected a job object (EventBridge Scheduler input), an EventBridge event with the job in detail, or an SQS batch";

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

/** True when `value` has the envelope fields of an EventBridge event. */
export function isEventBridgeEvent(value: unknown): value is Record<string, unknown> {
  return isObject(value) && typeof value["detail-type"] === "string" && "detail" in value;
}

/**
 * The job carried by an EventBridge event's `detail`. Throws {@link InvalidJobError} when the detail is
 * empty, as for a classic scheduled rule without input, rather than guessing.
 */
export function jobFromEventBridgeEvent(event: Record<string, unknown>): unknown {
  const detail = event.detail;
  if (!isObject(detail) || Object.keys(detail).length === 0) {
    throw new InvalidJobError(
      `detail: EventBridge event '${String(event["detail-type"])}' from ${String(
        event.source,
      )} carries no job in detail; give the rule an input (or input transformer) whose value is the job, or use EventBridge Scheduler with the job as the schedule's input`,
      { field: "detail" },
    );
  }
  return detail;
}

/** True for an SQS batch: a non-empty `Records` array whose every record comes from `aws:sqs`. */
export function isSqsEvent(event: unknown): event is { Records: SqsRecord[] } {
  if (!isObject(event) || !Array.isArray(event.Records) || event.Records.length === 0) return false;
  return event.Records.every((r: unknown) => isObject(r) && r.eventSource === "aws:sqs");
}

/**
 * Detects which of the three accepted shapes an invocation event has. Pure: no I/O.
 * Throws {@link InvalidJobError} saying what was expected when the event is none of them.
 */
export function detectEventShape(event: unknown): EventShape {
  if (!isObject(event)) {
    throw new InvalidJobError(`(event): ${EXPECTED}; got ${describeValue(event)}`, {
      field: "(event)",
    });
  }
  if (Array.isArray(event.Records)) {
    const records = event.Records as unknown[];
    const foreign = records.find((r) => !isObject(r) || r.eventSource !== "aws:sqs");
    if (foreign !== undefined || records.length === 0) {
      const source = isObject(foreign) ? String(foreign.eventSource) : describeValue(foreign);
      throw new InvalidJobError(
        `Records: ${EXPECTED}; got ${records.length === 0 ? "no records" : `a record from ${source}`}`,
        { field: "Records" },
      );
    }
    return { kind: EventSource.Sqs, records: records as SqsRecord[] };
  }
  if (isEventBridgeEvent(event)) {
    return {
      kind: EventSource.EventBridge,
      job: jobFromEventBridgeEvent(event),
      eventId: typeof event.id === "string" ? event.id : undefined,
    };
  }
  return { kind: EventSource.Scheduler, job: event };
}

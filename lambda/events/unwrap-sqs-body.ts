import { InvalidJobError } from "../outcome/errors.js";
import { isEventBridgeEvent, jobFromEventBridgeEvent } from "./detect-event-shape.js";

/** How a job travelled inside an SQS message body. */
const SqsEnvelope = {
  /** The body is the job itself. */
  Job: "job",
  /** The body is an EventBridge event whose `detail` is the job. */
  EventBridge: "eventbridge",
  /** The body is an SNS notification (no raw message delivery) whose `Message` is the job. */
  Sns: "sns",
} as const;
/** One of {@link SqsEnvelope}. */
type SqsEnvelope = (typeof SqsEnvelope)[keyof typeof SqsEnvelope];

/** The unvalidated job found in an SQS body, and the envelope it came in. */
export interface UnwrappedBody {
  readonly job: unknown;
  readonly envelope: SqsEnvelope;
  /** The EventBridge event id or SNS message id, when the body had an envelope. */
  readonly envelopeId: string | undefined;
}

function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const preview = text.length > 60 ? `${text.slice(0, 60)}...` : text;
    throw new InvalidJobError(
      `${field}: is not JSON (${JSON.stringify(preview)}); send the job as a JSON object, an EventBridge event or an SNS notification`,
      { field, cause: error },
    );
  }
}

function isSnsNotification(value: unknown): value is { Message: unknown; MessageId?: unknown } {
  return (
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>).Type === "Notification" &&
    "Message" in value
  );
}

/**
 * Unwraps one SQS message body into the job it carries. Pure: no I/O.
 * Throws {@link InvalidJobError} when the body is not JSON or an envelope carries no job.
 */
export function unwrapSqsBody(body: string): UnwrappedBody {
  const value = parseJson(body, "body");
  if (isSnsNotification(value)) {
    if (typeof value.Message !== "string") {
      throw new InvalidJobError("Message: the SNS notification carries no job text", {
        field: "Message",
      });
    }
    const inner = parseJson(value.Message, "Message");
    const envelopeId = typeof value.MessageId === "string" ? value.MessageId : undefined;
    if (isEventBridgeEvent(inner)) {
      return { job: jobFromEventBridgeEvent(inner), envelope: SqsEnvelope.Sns, envelopeId };
    }
    return { job: inner, envelope: SqsEnvelope.Sns, envelopeId };
  }
  if (isEventBridgeEvent(value)) {
    return {
      job: jobFromEventBridgeEvent(value),
      envelope: SqsEnvelope.EventBridge,
      envelopeId: typeof value.id === "string" ? value.id : undefined,
    };
  }
  return { job: value, envelope: SqsEnvelope.Job, envelopeId: undefined };
}

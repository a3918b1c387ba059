import type { SqsErrorAnswer } from "./sqs-errors.js";
import { isRecord } from "./stand-in-server.js";

/** What one SQS operation answers: status, extra headers, JSON body. */
export interface SqsAnswer {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** The JSON input of an operation. */
export type SqsInput = Record<string, unknown>;

/** A successful ChangeMessageVisibility (single call or batch entry). */
export interface VisibilityChange {
  queue: string;
  receiptHandle: string;
  visibilityTimeout: number;
}

/** Stand-in state the operations read and update. */
export interface SqsOperationContext {
  readonly maxMessageBytes: number;
  /** Batch entry ids that fail once with `InternalError`. */
  readonly failingEntryIds: Set<string>;
  readonly visibilityChanges: VisibilityChange[];
  queueArn(name: string): string;
  /** The principal of the request being answered: the access key id it was signed with. */
  readonly senderId?: string;
}

/** A 200 answer. */
export const ok = (body: unknown = {}): SqsAnswer => ({ status: 200, body });

/** The `Entries` of a batch call that are objects. */
export function entriesOf(input: SqsInput): SqsInput[] {
  return Array.isArray(input.Entries) ? input.Entries.filter(isRecord) : [];
}

/** A batch `Failed[]` entry for an error that failed one entry. */
export function failedEntry(id: unknown, error: SqsErrorAnswer, senderFault = true) {
  const [code] = (error.headers["x-amzn-query-error"] ?? "").split(";");
  return { Id: id, SenderFault: senderFault, Code: code, Message: error.body.message };
}

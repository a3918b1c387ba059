import type { EventSource } from "../events/detect-event-shape.js";
import type { DispatchResult } from "../github/dispatch-workflow.js";
import type { DeliveryIdentity, DispatchJob } from "../job/dispatch-job.js";
import type {
  InvalidJobError,
  PermanentDispatchError,
  RetryableDispatchError,
} from "../outcome/errors.js";
import type { InvocationDeadline } from "../outcome/invocation-deadline.js";

/** How one job reached the function. */
export interface DeliveryContext {
  readonly source: EventSource;
  /** 1 for the first try; counted from the `attempt` attribute and SQS's receive count. */
  readonly attempt: number;
  readonly identity: DeliveryIdentity;
  /** String message attributes of an SQS delivery (`attempt`, `not_before` ...); none for direct invokes. */
  readonly attributes?: Readonly<Record<string, string>>;
  /** When the invocation's work must be done: no dispatch starts near it, none runs past it. @default none */
  readonly deadline?: InvocationDeadline;
}

/**
 * What became of one job, decided by `runJob`; the delivery path carries it out
 * (SQS: visibility change or dead-letter write; direct invoke: re-queue or dead-letter write).
 */
export type DispatchOutcome =
  | {
      readonly kind: "dispatched";
      readonly job: DispatchJob;
      readonly idempotencyKey: string | undefined;
      /** The dispatch (one for a single job). A fan-out outcome may list several. */
      readonly results: readonly DispatchResult[];
    }
  | {
      readonly kind: "retry";
      readonly job: DispatchJob;
      readonly idempotencyKey: string | undefined;
      readonly failure: RetryableDispatchError;
    }
  | {
      readonly kind: "parked";
      /** Undefined when the job itself did not validate. */
      readonly job: DispatchJob | undefined;
      readonly idempotencyKey: string | undefined;
      readonly failure: PermanentDispatchError | InvalidJobError;
    }
  | {
      /**
       * Handed back to the dispatch queue on purpose, not as a failure: a fan-out expanded into
       * `count` single jobs, or a job deferred to its pacing slot (`untilMs`). The delivery is done.
       */
      readonly kind: "queued";
      readonly job: DispatchJob;
      readonly idempotencyKey: string | undefined;
      readonly count: number;
      readonly untilMs?: number;
      readonly reason: string;
    };

import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { SQSClient } from "@aws-sdk/client-sqs";
import {
  awsClientSettings,
  type Dispatcher,
  type DispatcherDependencies,
} from "../create-dispatcher.js";
import { createDispatchGuard, type GuardParts } from "../guard/guard-dispatch.js";
import { DispatchIdempotency } from "../idempotency/dispatch-idempotency.js";
import { DispatchPacer } from "../pacing/dispatch-pacer.js";
import { PacingLedger } from "../pacing/pacing-ledger.js";
import { createFanOut, type FanOutParts } from "./fan-out-job.js";

/** Clients fan-out builds itself unless given. */
export interface FanOutClients {
  /** @default a client for `AWS_REGION`, endpoint from `AWS_ENDPOINT_URL_DYNAMODB`, {@link awsClientSettings} */
  readonly dynamodb?: DynamoDBClient;
  /** @default a client for `AWS_REGION`, endpoint from `AWS_ENDPOINT_URL_SQS`, {@link awsClientSettings} */
  readonly sqs?: SQSClient;
}

/**
 * The fan-out seam and the single-job guard, configured from the dispatcher's config (one parse of
 * the environment, see `FunctionConfig`): `stateTableName` (the DynamoDB table for idempotency
 * records and pacing ledgers; unset: duplicate suppression and pacing are off, fan-out still
 * expands), `idempotencyWindowSeconds`, `pacing`, `fanOutSpread` (queued targets are booked a place
 * in the token's line and delayed until about then), `pacingAlignMs` (a start at most this far ahead
 * is waited for in-process) and `pacingLimits`.
 */
export function fanOutDependencies(
  clients: FanOutClients = {},
): Required<Pick<DispatcherDependencies, "fanOut" | "guard">> {
  const built = new WeakMap<Dispatcher, { fanOut: FanOutParts; guard: GuardParts }>();

  const partsFor = (d: Dispatcher) => {
    const known = built.get(d);
    if (known) return known;
    const { stateTableName: tableName, region, pacingLimits: limits } = d.config;
    const pacing = tableName !== undefined && d.config.pacing;
    const spread = d.config.fanOutSpread;
    const window = d.config.idempotencyWindowSeconds;
    const align = d.config.pacingAlignMs;
    if (!tableName) {
      d.telemetry.logger.warn(
        "STATE_TABLE_NAME is not set: duplicate suppression and pacing are off; set it to the stack's state table",
      );
    }
    const aws = awsClientSettings(d.config);
    const dynamodb = tableName
      ? (clients.dynamodb ?? new DynamoDBClient({ region, ...aws }))
      : undefined;
    const idempotency =
      dynamodb && tableName
        ? new DispatchIdempotency({ client: dynamodb, tableName, windowSeconds: window })
        : undefined;
    const pacer =
      dynamodb && tableName && pacing
        ? new DispatchPacer({
            ledger: new PacingLedger({ client: dynamodb, tableName }),
            limits,
            now: d.now,
            alignMs: align,
          })
        : undefined;
    const sqs = clients.sqs ?? new SQSClient({ region, ...aws });
    const parts = {
      fanOut: { sqs, idempotency, pacer: spread ? pacer : undefined },
      guard: { idempotency, pacer },
    };
    built.set(d, parts);
    return parts;
  };

  return {
    fanOut: (d) => createFanOut(d, partsFor(d).fanOut),
    guard: (d) => createDispatchGuard(d, partsFor(d).guard),
  };
}

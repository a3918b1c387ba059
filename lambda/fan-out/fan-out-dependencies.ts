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
import { readPacingLimits } from "../pacing/pacing-limits.js";
import { createFanOut, type FanOutParts } from "./fan-out-job.js";

/** Clients fan-out builds itself unless given. */
export interface FanOutClients {
  /** @default a client for `AWS_REGION`, endpoint from `AWS_ENDPOINT_URL_DYNAMODB`, {@link awsClientSettings} */
  readonly dynamodb?: DynamoDBClient;
  /** @default a client for `AWS_REGION`, endpoint from `AWS_ENDPOINT_URL_SQS`, {@link awsClientSettings} */
  readonly sqs?: SQSClient;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === "") return fallback;
  if (["on", "true", "1"].includes(raw)) return true;
  if (["off", "false", "0"].includes(raw)) return false;
  throw new Error(`${name}: "${env[name]}" is neither on nor off`);
}

function alignMs(env: NodeJS.ProcessEnv): number {
  const raw = env.PACING_ALIGN_MS;
  if (raw === undefined || raw === "") return 2000;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 10_000) {
    throw new Error(
      `PACING_ALIGN_MS: "${raw}" is not a whole number from 0 to 10000; unset it for 2000`,
    );
  }
  return n;
}

function windowSeconds(env: NodeJS.ProcessEnv): number {
  const raw = env.IDEMPOTENCY_WINDOW_SECONDS;
  if (raw === undefined || raw === "") return 86_400;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 60) {
    throw new Error(
      `IDEMPOTENCY_WINDOW_SECONDS: "${raw}" is not a whole number of at least 60; unset it for 86400 (24 hours)`,
    );
  }
  return n;
}

/**
 * The fan-out seam and the single-job guard, configured from the environment:
 * `STATE_TABLE_NAME` (the DynamoDB table for idempotency records and pacing ledgers; unset: duplicate
 * suppression and pacing are off, fan-out still expands), `IDEMPOTENCY_WINDOW_SECONDS` (86400),
 * `PACING` (on|off, default on), `FAN_OUT_SPREAD` (on|off, default on: queued targets are booked a
 * place in the token's line and delayed until about then), `PACING_ALIGN_MS` (2000: a start at most
 * this far ahead is waited for in-process) and the pacing limits of {@link readPacingLimits}.
 * Throws naming a bad variable.
 */
export function fanOutDependencies(
  env: NodeJS.ProcessEnv = process.env,
  clients: FanOutClients = {},
): Required<Pick<DispatcherDependencies, "fanOut" | "guard">> {
  const tableName = env.STATE_TABLE_NAME || undefined;
  const pacing = tableName !== undefined && flag(env, "PACING", true);
  const spread = flag(env, "FAN_OUT_SPREAD", true);
  const window = windowSeconds(env);
  const align = alignMs(env);
  const limits = readPacingLimits(env);
  const region = env.AWS_REGION || undefined;
  const built = new WeakMap<Dispatcher, { fanOut: FanOutParts; guard: GuardParts }>();

  const partsFor = (d: Dispatcher) => {
    const known = built.get(d);
    if (known) return known;
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

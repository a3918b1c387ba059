import {
  InvalidJobError,
  PermanentDispatchError,
  RateLimitedDispatchError,
  RetryableDispatchError,
} from "../lambda/outcome/errors.js";
import { CliError, failedError, unreachableError } from "./cli-error.js";

/** Which step of a dispatch failed: getting the token or calling GitHub. */
export type DispatchStep = "token" | "dispatch";

/**
 * Maps the dispatcher's classified errors to CLI exit codes: a token that cannot be read or minted,
 * a 401, an unreachable GitHub or a 5xx exit 3; a rate limit and every other refusal (404, 422, 403)
 * exit 1. The reasons are the dispatcher's own, which never contain a token.
 */
export function describeDispatchFailure(error: unknown, step: DispatchStep): CliError {
  if (error instanceof CliError) return error;
  if (error instanceof InvalidJobError) return failedError(error.message);
  if (error instanceof RetryableDispatchError) {
    if (error instanceof RateLimitedDispatchError) {
      const after =
        error.retryAfterSeconds === undefined ? "" : `; retry after ${error.retryAfterSeconds} s`;
      return failedError(`${error.message}${after}`);
    }
    return unreachableError(error.message, error);
  }
  if (error instanceof PermanentDispatchError) {
    return step === "token" || error.status === 401
      ? unreachableError(error.message, error)
      : failedError(error.message);
  }
  throw error;
}

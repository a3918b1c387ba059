import type { PacingLimits } from "./pacing-limits.js";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;

/** What the shared ledger knows about one token. */
export interface PacingState {
  /** When admitted dispatches started (epoch ms, ascending): the last hour's, at most `perHour`. */
  readonly sent: readonly number[];
  /** The time the last job in line was told to come back at (epoch ms); 0: no line. */
  readonly tail: number;
  /** The last time a job already in line was told to come back at after missing its turn (epoch ms). */
  readonly front: number;
  /** Nothing starts before this (GitHub named a time with `retry-after` or `x-ratelimit-reset`). */
  readonly blockedUntil: number;
  /** Extra spacing while the primary budget runs low; applies until {@link primarySpacingUntil}. */
  readonly primarySpacingMs: number;
  readonly primarySpacingUntil: number;
}

/** A token nobody has used yet. */
export const EMPTY_PACING_STATE: PacingState = {
  sent: [],
  tail: 0,
  front: 0,
  blockedUntil: 0,
  primarySpacingMs: 0,
  primarySpacingUntil: 0,
};

/** One job asking to start. */
export interface AdmissionRequest {
  /** True when the job was given a time to come back at (it is in line); false for a newcomer. */
  readonly inLine: boolean;
}

/** Start now (after `at - now` ms of waiting, less than `alignMs`), or come back at `until`. */
export type AdmissionDecision =
  | { readonly kind: "go"; readonly at: number }
  | { readonly kind: "wait"; readonly until: number };

/**
 * Milliseconds between two starts of one token: a minute (plus margin) shared evenly, and never less
 * than the request timeout shared by the allowed concurrency (so requests never overlap more).
 */
export function spacingMs(limits: PacingLimits): number {
  return Math.max(
    (MINUTE_MS + limits.marginMs) / limits.perMinute,
    limits.requestTimeoutMs / limits.maxConcurrency,
  );
}

/**
 * The earliest time, at or after `now`, a dispatch may start given the starts so far: one spacing
 * after the last start (or the primary-limit spacing while it applies), at most `perMinute` starts in
 * any minute and `perHour` in any hour (each window widened by its margin, as a request reaches
 * GitHub a little after its start), never before `blockedUntil`. Pure.
 */
export function earliestStart(state: PacingState, now: number, limits: PacingLimits): number {
  const { sent } = state;
  let t = Math.max(now, state.blockedUntil);
  const last = sent[sent.length - 1];
  if (last !== undefined) {
    t = Math.max(t, last + spacingMs(limits));
    if (state.primarySpacingUntil > t) t = Math.max(t, last + state.primarySpacingMs);
  }
  const minuteAgo = sent[sent.length - limits.perMinute];
  if (minuteAgo !== undefined) t = Math.max(t, minuteAgo + MINUTE_MS + limits.marginMs);
  const hourAgo = sent[sent.length - limits.perHour];
  if (hourAgo !== undefined) t = Math.max(t, hourAgo + HOUR_MS + limits.hourMarginMs);
  return Math.ceil(t);
}

function trimmed(sent: readonly number[], now: number, limits: PacingLimits): number[] {
  const horizon = now - HOUR_MS - limits.hourMarginMs;
  return sent.filter((s) => s > horizon).slice(-limits.perHour);
}

/**
 * Decides, in order, which of `requests` start now and when the others come back. Pure.
 * A job starts when the limits let it start within `alignMs`; the start is recorded, so the limits
 * hold for what really started, however late a job comes back. A newcomer joins the end of the line
 * while there is one (it does not overtake jobs told to come back) and comes back one spacing after
 * it. A job already in line that cannot start (others came back late and took the starts) keeps
 * its place near the front: it comes back at the next start the limits allow, one spacing after the
 * last job sent back that way, so such jobs never come back together.
 */
export function planAdmission(
  state: PacingState,
  now: number,
  limits: PacingLimits,
  requests: readonly AdmissionRequest[],
  alignMs: number,
): { decisions: AdmissionDecision[]; state: PacingState } {
  const spacing = spacingMs(limits);
  let current: PacingState = { ...state, sent: trimmed(state.sent, now, limits) };
  const decisions = requests.map((request): AdmissionDecision => {
    const earliest = earliestStart(current, now, limits);
    const lineAhead = !request.inLine && current.tail > now + alignMs;
    if (!lineAhead && earliest <= now + alignMs) {
      current = { ...current, sent: [...current.sent, earliest] };
      return { kind: "go", at: earliest };
    }
    if (request.inLine) {
      const until = Math.max(earliest, Math.ceil(current.front + spacing));
      current = { ...current, front: until };
      return { kind: "wait", until };
    }
    const until = Math.max(earliest, Math.ceil(current.tail + spacing));
    current = { ...current, tail: until };
    return { kind: "wait", until };
  });
  return { decisions, state: { ...current, sent: current.sent.slice(-limits.perHour) } };
}

/**
 * Books `count` places at the end of the line (a fan-out's targets): the times they should come back
 * at, spaced as the limits allow after the current line, and the state with the line moved. Pure.
 */
export function bookPlaces(
  state: PacingState,
  now: number,
  limits: PacingLimits,
  count: number,
): { times: number[]; state: PacingState } {
  const spacing = spacingMs(limits);
  const times: number[] = [];
  let tail = Math.max(state.tail, now - spacing);
  const planned: PacingState = { ...state, sent: trimmed(state.sent, now, limits) };
  let sent = [...planned.sent];
  for (let i = 0; i < count; i++) {
    const t = Math.max(earliestStart({ ...planned, sent }, now, limits), Math.ceil(tail + spacing));
    times.push(t);
    sent = [...sent.slice(-(limits.perHour - 1)), t];
    tail = t;
  }
  return { times, state: { ...planned, tail } };
}

import type { SQSRecord } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { expectNoSecrets, jsonLogEntries, startLogCapture } from "../../support/capture-logs.js";
import { DispatchRig, RIG_SECRET_ID, RIG_TOKEN } from "../../support/dispatch-rig.js";
import type { ScriptedResponse } from "../../support/github-stand-in.js";

const JOBS = 2000;

/** Faults and how many of the jobs get each: 400 of 2000 (20%), two kinds of which must end parked. */
const FAULTS = {
  "5xx": 86,
  timeout: 50,
  "connection reset": 50,
  "429 retry-after": 50,
  "duplicate delivery": 50,
  "concurrent duplicate": 50,
  "duplicate send": 50,
  "422 (permanent)": 8,
  "5xx forever": 6,
} as const;
type Fault = keyof typeof FAULTS | "none";

/** Deterministic pseudo-random numbers (mulberry32), so a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Each job's fault: exactly the counts of {@link FAULTS}, spread over the jobs by a seeded shuffle. */
function assignFaults(jobs: number, next: () => number): Fault[] {
  const faults: Fault[] = Object.entries(FAULTS).flatMap(([fault, count]) =>
    Array.from({ length: count }, () => fault as Fault),
  );
  while (faults.length < jobs) faults.push("none");
  for (let i = faults.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [faults[i], faults[j]] = [faults[j] as Fault, faults[i] as Fault];
  }
  return faults;
}

const SCRIPTS: Partial<Record<Fault, ScriptedResponse[]>> = {
  "5xx": [{ status: 502 }, { status: 503 }],
  timeout: [{ status: 204, fault: "hang" }],
  "connection reset": [{ status: 204, fault: "reset" }],
  "429 retry-after": [{ status: 429, headers: { "retry-after": "2" } }],
  "422 (permanent)": [{ status: 422, body: { message: 'Unexpected inputs provided: ["nope"]' } }],
  "5xx forever": Array.from({ length: 12 }, () => ({ status: 500 })),
};

describe("chaos: 2000 jobs with 20% injected faults through the real handler and stand-ins", () => {
  let rig: DispatchRig;
  const faults = new Map<string, Fault>();
  let stats: Awaited<ReturnType<DispatchRig["run"]>>;
  let lines: string[] = [];

  beforeAll(async () => {
    rig = await DispatchRig.start({
      scale: 40,
      env: {
        GITHUB_REQUEST_TIMEOUT_MS: "1200",
        PACING_LIMITS: JSON.stringify({
          [RIG_SECRET_ID]: { requestsPerMinute: 6000, requestsPerHour: 100_000 },
        }),
      },
    });
    const assigned = assignFaults(JOBS, random(20261124));
    for (let i = 0; i < JOBS; i++) {
      const repo = `acme/r${String(i).padStart(4, "0")}`;
      const fault = assigned[i] ?? "none";
      faults.set(repo, fault);
      const script = SCRIPTS[fault];
      if (script) rig.github.scriptFor(repo, ...script);
      const job = {
        owner: "acme",
        repo: repo.slice(5),
        workflow_id: "ci.yml",
        ref: "main",
        inputs: { job: String(i) },
        // Half the producers name a key; the others rely on the SQS message id.
        ...(i % 2 === 0 || fault === "duplicate send" ? { idempotency_key: `chaos-${i}` } : {}),
      };
      rig.send(job);
      if (fault === "duplicate send") rig.send(job);
    }
    const repoOf = (r: SQSRecord) => {
      const body = JSON.parse(r.body) as { owner?: string; repo?: string };
      return `${body.owner}/${body.repo}`;
    };
    const redelivered = new Set<string>();
    const duplicated = new Set<string>();
    const capture = startLogCapture();
    try {
      stats = await rig.run(8, {
        duplicateContainers: 2,
        maxWallMs: 55_000,
        redeliver: (r) => {
          const repo = repoOf(r);
          if (faults.get(repo) !== "duplicate delivery" || redelivered.has(repo)) return false;
          redelivered.add(repo);
          return true;
        },
        duplicate: (r) => {
          const repo = repoOf(r);
          if (faults.get(repo) !== "concurrent duplicate" || duplicated.has(repo)) return false;
          duplicated.add(repo);
          return true;
        },
      });
    } finally {
      capture.stop();
      lines = capture.lines;
    }
  }, 60_000);
  afterAll(() => rig.close());

  it("ends every job dispatched exactly once or parked with its reason, and prints the counts", () => {
    const counts = rig.dispatchCounts();
    const parked = new Map<string, string>();
    for (const letter of rig.deadLetters()) {
      const body = JSON.parse(letter.body) as { owner: string; repo: string };
      parked.set(`${body.owner}/${body.repo}`, letter.attributes.reason ?? "");
    }
    const rows = new Map<
      Fault,
      { jobs: number; dispatched: number; parked: number; lost: number; twice: number }
    >();
    for (const [repo, fault] of faults) {
      const row = rows.get(fault) ?? { jobs: 0, dispatched: 0, parked: 0, lost: 0, twice: 0 };
      const n = counts.get(repo) ?? 0;
      row.jobs += 1;
      if (n === 1 && !parked.has(repo)) row.dispatched += 1;
      else if (n === 0 && parked.has(repo)) row.parked += 1;
      else if (n === 0) row.lost += 1;
      else row.twice += 1;
      rows.set(fault, row);
    }
    const entries = jsonLogEntries(lines);
    const suppressed = entries.filter((e) => e.outcome === "duplicate").length;
    const deferred = entries.filter((e) => e.message === "dispatch deferred").length;
    const ambiguous = entries.filter((e) => e.ambiguous === true).length;
    console.log(
      [
        `chaos: ${JOBS} jobs, ${[...faults.values()].filter((f) => f !== "none").length} with a fault, ${stats.records} deliveries in ${stats.invocations} batches, ${stats.wallMs} ms wall (${Math.round(stats.skippedClockMs / 1000)} s of idle clock skipped)`,
        "fault                 jobs  dispatched once  parked  lost  dispatched twice",
        ...[...rows].map(
          ([fault, r]) =>
            `${fault.padEnd(20)} ${String(r.jobs).padStart(5)} ${String(r.dispatched).padStart(16)} ${String(r.parked).padStart(7)} ${String(r.lost).padStart(5)} ${String(r.twice).padStart(17)}`,
        ),
        `duplicates suppressed: ${suppressed}; deferrals (pacing and in-progress copies): ${deferred}; retries after an ambiguous failure: ${ambiguous}; duplicate deliveries injected: ${stats.redelivered} redelivered, ${stats.duplicated} concurrent`,
      ].join("\n"),
    );

    expect(stats.timedOut).toBe(false);
    const totals = [...rows.values()].reduce(
      (t, r) => ({ lost: t.lost + r.lost, twice: t.twice + r.twice }),
      { lost: 0, twice: 0 },
    );
    expect(totals).toEqual({ lost: 0, twice: 0 });
    for (const [fault, row] of rows) {
      const permanent = fault === "422 (permanent)" || fault === "5xx forever";
      expect({ fault, ...row }).toEqual({
        fault,
        jobs: row.jobs,
        dispatched: permanent ? 0 : row.jobs,
        parked: permanent ? row.jobs : 0,
        lost: 0,
        twice: 0,
      });
    }
    expect(suppressed).toBeGreaterThan(0);
  });

  it("parks each failed job with the reason", () => {
    const reasons = rig.deadLetters().map((l) => l.attributes.reason ?? "");

    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) {
      expect(reason).toMatch(
        /GitHub rejected workflow ci\.yml in acme\/r\d{4} \(422|gave up after 8 attempts: GitHub answered 500/,
      );
    }
  });

  it("never wrote the token to a log line or a queue", () => {
    expectNoSecrets(lines, [RIG_TOKEN]);
    expectNoSecrets(
      rig.deadLetters().map((l) => JSON.stringify(l)),
      [RIG_TOKEN],
    );
  });
});

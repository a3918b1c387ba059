import { pathToFileURL } from "node:url";
import { DispatchRig } from "../test/support/dispatch-rig.js";
import { GitHubRateLimitEnforcer } from "../test/support/github-rate-limit-enforcer.js";
import { discardOutput } from "./core/discard-output.js";
import { busiestWindow, fastestSpanMs, ratePerMinute } from "./fan-out-measures.js";

/** GitHub's secondary limits the stand-in enforces, per token. */
const LIMITS = { perMinute: 80, perHour: 500, concurrent: 100 };
/** Clock milliseconds per wall millisecond (idle spells are skipped on top): about 30 s of wall time a variant. */
const SCALE = 30;
/** Wall milliseconds GitHub takes to answer (`SCALE` times that on the clock: 240 ms). */
const GITHUB_LATENCY_MS = 8;
/** Function containers polling the queue at once (the event source mapping's maximum concurrency). */
const CONTAINERS = 4;

/** One way of fanning out, run through the real handler. */
interface Variant {
  readonly key: string;
  readonly label: string;
  readonly env: Record<string, string | undefined>;
}

const VARIANTS: readonly Variant[] = [
  {
    key: "paced",
    label: "shipped: ledger + places booked at expansion",
    env: {},
  },
  {
    key: "ledger_only",
    label: "ledger, no booking at expansion",
    env: { FAN_OUT_SPREAD: "off" },
  },
  {
    key: "naive",
    label: "naive: everything at once",
    env: { PACING: "off", FAN_OUT_SPREAD: "off" },
  },
];

/** The figures of one variant. */
interface VariantResult {
  readonly label: string;
  readonly figures: Record<string, number>;
}

async function runVariant(variant: Variant, targets: number): Promise<VariantResult> {
  let limiter: GitHubRateLimitEnforcer | undefined;
  const rig = await DispatchRig.start({
    scale: SCALE,
    github: (clock) => {
      limiter = new GitHubRateLimitEnforcer({ ...LIMITS, clock: clock.now });
      return { rateLimiter: limiter, latencyMs: GITHUB_LATENCY_MS };
    },
    env: { GITHUB_REQUEST_TIMEOUT_MS: "10000", ...variant.env },
  });
  try {
    const names = Array.from(
      { length: targets },
      (_, i) => `acme/svc-${String(i).padStart(4, "0")}`,
    );
    const firedAt = rig.clock.now();
    rig.send({
      targets: names,
      workflow_id: "audit.yml",
      ref: "main",
      idempotency_key: `bench-${variant.key}`,
    });
    const started = performance.now();
    const { result: stats } = await discardOutput(() =>
      rig.run(CONTAINERS, { maxWallMs: 900_000 }),
    );
    const wallMs = performance.now() - started;
    const accepted = [...(limiter?.accepted ?? [])].sort((a, b) => a - b);
    const counts = rig.dispatchCounts();
    const parked = new Set(
      rig.deadLetters().map((l) => {
        const body = JSON.parse(l.body) as { owner?: string; repo?: string };
        return `${body.owner}/${body.repo}`;
      }),
    );
    const dispatched = [...counts.values()].reduce((a, b) => a + b, 0);
    const unique = counts.size;
    const lost = names.filter((n) => !counts.has(n) && !parked.has(n)).length;
    const rejected = limiter?.rejections.length ?? 0;
    const first = accepted[0] ?? firedAt;
    const last = accepted[accepted.length - 1] ?? firedAt;
    const span = last - first;
    const fastest = fastestSpanMs(unique, LIMITS);
    const fastestBurst = fastestSpanMs(unique, LIMITS, true);
    return {
      label: variant.label,
      figures: {
        rate_fraction: span > 0 ? fastest / span : 0,
        rate_fraction_of_bursting: span > 0 ? fastestBurst / span : 0,
        first_500_rate_fraction: ratePerMinute(accepted, LIMITS.perHour) / LIMITS.perMinute,
        rate_limited_per_1000: dispatched > 0 ? (rejected / dispatched) * 1000 : 0,
        lost,
        duplicates: dispatched - unique,
        parked: parked.size,
        dispatched: unique,
        span_ms: span,
        fastest_span_ms: fastest,
        fastest_bursting_span_ms: fastestBurst,
        completion_ms: last - firedAt,
        busiest_minute: busiestWindow(accepted, 60_000),
        busiest_hour: busiestWindow(accepted, 3_600_000),
        deliveries: stats.records,
        dynamodb_calls: rig.dynamodb.callCount(),
        sqs_calls: rig.sqs.requests.length,
        wall_ms: wallMs,
      },
    };
  } finally {
    await rig.close();
  }
}

function table(results: readonly VariantResult[], baseline: VariantResult): string {
  const keys = Object.keys(baseline.figures);
  const header = [
    "figure",
    ...results.map((r) => r.label),
    `ratio ${results[0]?.label.split(":")[0]} / naive`,
  ];
  const format = (n: number | undefined) =>
    n === undefined
      ? ""
      : Math.abs(n) >= 1000
        ? Math.round(n).toLocaleString("en-US")
        : String(Number(n.toPrecision(3)));
  const rows = keys.map((key) => {
    const shipped = results[0]?.figures[key];
    const naive = baseline.figures[key];
    const ratio = shipped !== undefined && naive ? shipped / naive : undefined;
    return [key, ...results.map((r) => format(r.figures[key])), format(ratio)];
  });
  const widths = header.map((_, i) =>
    Math.max(...[header, ...rows].map((r) => (r[i] ?? "").length)),
  );
  return [header, widths.map((w) => "-".repeat(w)), ...rows]
    .map((cells) =>
      cells
        .map((c, i) => (i === 0 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
        .join("  "),
    )
    .join("\n");
}

/**
 * The fan-out benchmark: a 1000-target fan-out through the real handler, against the GitHub stand-in
 * enforcing 80 dispatches a minute, 500 an hour and 100 concurrent per token on a scaled clock
 * (x30, idle spells skipped: the whole run takes about three minutes), with the shipped pacing, the other
 * mechanisms tried, and a naive fan-out that fires everything at once. Prints the comparison table;
 * returns the figures (`<variant>_<figure>`), the shipped ones first.
 */
export async function benchFanOut(targets = 1000): Promise<Record<string, number>> {
  const results: VariantResult[] = [];
  for (const variant of VARIANTS) {
    process.stderr.write(`  fan-out: ${variant.label}...\n`);
    results.push(await runVariant(variant, targets));
  }
  const naive = results[results.length - 1] as VariantResult;
  process.stdout.write(
    `\nfan-out of ${targets} targets, limits ${LIMITS.perMinute}/min, ${LIMITS.perHour}/h, ${LIMITS.concurrent} concurrent (clock x${SCALE})\n${table(results, naive)}\n`,
  );
  const record: Record<string, number> = {};
  for (const [i, variant] of VARIANTS.entries()) {
    for (const [key, value] of Object.entries(results[i]?.figures ?? {})) {
      record[`${variant.key}_${key}`] = value;
    }
  }
  return record;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  benchFanOut(Number(process.argv[2] ?? 1000)).catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}

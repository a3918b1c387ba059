import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { jsonLogEntries } from "../support/capture-logs.js";
import { schedulerPayload } from "../support/events.js";
import { DispatchHarness } from "./process/dispatch-harness.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };

interface Emf {
  _aws: {
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

/** Every EMF record: metric name -> values, with the record's dimensions. */
function metricsIn(
  lines: string[],
): { name: string; unit: string; value: unknown; dimensions: Record<string, unknown> }[] {
  return jsonLogEntries(lines)
    .filter((e): e is Emf => "_aws" in e)
    .flatMap((e) =>
      e._aws.CloudWatchMetrics.flatMap((d) => {
        expect(d.Namespace).toBe("WorkflowDispatch");
        const dimensions = Object.fromEntries(d.Dimensions.flat().map((k) => [k, e[k]]));
        return d.Metrics.map((m) => ({ name: m.Name, unit: m.Unit, value: e[m.Name], dimensions }));
      }),
    );
}

describe("handler: metrics in embedded metric format, flushed per invocation", () => {
  let h: DispatchHarness;

  beforeEach(async () => {
    h = await DispatchHarness.start();
  });
  afterEach(() => h.close());

  it("emits Dispatched, DispatchLatency and ScheduleLag for a scheduled dispatch", async () => {
    const scheduledTime = new Date(Date.now() - 90_000).toISOString();

    const { lines } = await h.invoke(schedulerPayload(job, { scheduledTime }));

    const metrics = metricsIn(lines);
    expect(metrics).toContainEqual(
      expect.objectContaining({ name: "Dispatched", unit: "Count", value: 1 }),
    );
    expect(metrics).toContainEqual(
      expect.objectContaining({ name: "DispatchLatency", unit: "Milliseconds" }),
    );
    const lag = metrics.find((m) => m.name === "ScheduleLag");
    expect(lag?.unit).toBe("Seconds");
    expect(lag?.value).toBeGreaterThanOrEqual(90);
    expect(lag?.value).toBeLessThan(100);
  });

  it("counts an ambiguous retry separately, with the failure under its class", async () => {
    h.environment({ GITHUB_REQUEST_TIMEOUT_MS: "150" });
    h.gitHub.script({ status: 204, fault: "hang" });

    const { lines } = await h.invoke(schedulerPayload(job));

    const metrics = metricsIn(lines);
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: "DispatchFailed",
        value: 1,
        dimensions: expect.objectContaining({ FailureClass: "transient" }),
      }),
    );
    expect(metrics).toContainEqual(expect.objectContaining({ name: "DispatchRetried", value: 1 }));
    expect(metrics).toContainEqual(expect.objectContaining({ name: "AmbiguousRetry", value: 1 }));
  });

  it("does not count a retry that never reached GitHub as ambiguous", async () => {
    h.gitHub.script({ status: 429, headers: { "retry-after": "10" } });

    const { lines } = await h.invoke(schedulerPayload(job));

    const names = metricsIn(lines).map((m) => m.name);
    expect(names).toContain("DispatchRetried");
    expect(names).not.toContain("AmbiguousRetry");
  });

  it("emits DispatchFailed (permanent) and DeadLettered for a parked job", async () => {
    h.gitHub.script({ status: 404 });

    const { lines } = await h.invoke(schedulerPayload(job));

    const metrics = metricsIn(lines);
    expect(metrics).toContainEqual(
      expect.objectContaining({
        name: "DispatchFailed",
        dimensions: expect.objectContaining({ FailureClass: "permanent" }),
      }),
    );
    expect(metrics).toContainEqual(expect.objectContaining({ name: "DeadLettered", value: 1 }));
  });

  it("logs one structured line per outcome with the fields operators filter on", async () => {
    const { lines } = await h.invoke(schedulerPayload(job));

    const line = jsonLogEntries(lines).find((e) => e.message === "workflow dispatched");
    expect(line).toMatchObject({
      level: "INFO",
      service: "workflow-dispatch",
      repository: "acme/api",
      workflow: "nightly.yml",
      ref: "main",
      outcome: "dispatched",
      attempt: 1,
      source: "scheduler",
      run_url: expect.stringMatching(/\/repos\/acme\/api\/actions\/runs\/\d+$/),
      latency_ms: expect.any(Number),
      idempotency_key: expect.stringMatching(/#2026-11-24T09:00:00Z$/),
    });
  });
});

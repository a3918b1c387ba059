import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BenchStandIns } from "../../bench/core/bench-stand-ins.js";
import { CpuVariant } from "../../bench/core/cpu-plan.js";
import { runWorker } from "../../bench/core/handler-cpu.js";
import { GitHubStandIn } from "../support/github-stand-in.js";

/** A plan small enough for a test: 4 early, 10 before the steady window, 5 in it. */
const PLAN = { early: 4, steadyAfter: 10, measured: 5 };

describe("benchmark 3 worker processes", () => {
  let standIns: BenchStandIns;
  beforeAll(async () => {
    standIns = await BenchStandIns.start();
  });
  afterAll(async () => {
    await standIns.close();
  });

  it.each(Object.values(CpuVariant))(
    "the %s worker makes every planned dispatch in its own process and reports both windows",
    async (variant) => {
      standIns.reset();
      const report = await runWorker(variant, standIns.urls, PLAN);
      const dispatches = standIns.gitHub.requests.filter((r) => r.path.endsWith("/dispatches"));
      expect(dispatches).toHaveLength(PLAN.steadyAfter + PLAN.measured);
      for (const window of [report.early, report.steady]) {
        expect(window.cpuMs).toBeGreaterThan(0);
        expect(window.wallMs).toBeGreaterThan(0);
      }
      // Only the bare handler reads the secret on every dispatch; the real one once per container.
      const secretReads = standIns.secrets.requests.length;
      if (variant === CpuVariant.Bare) expect(secretReads).toBe(PLAN.steadyAfter + PLAN.measured);
      if (variant === CpuVariant.Real) expect(secretReads).toBe(1);
      if (variant === CpuVariant.Fetch) expect(secretReads).toBe(0);
    },
    60_000,
  );

  it("fails, naming the variant, when a dispatch does not go through", async () => {
    const refusing = await GitHubStandIn.start({ tokens: ["another-token"] });
    try {
      await expect(
        runWorker(CpuVariant.Real, { ...standIns.urls, github: refusing.url }, PLAN),
      ).rejects.toThrow(/real CPU worker exited with 1: .*dispatches failed in the CPU benchmark/s);
    } finally {
      await refusing.close();
    }
  }, 60_000);
});

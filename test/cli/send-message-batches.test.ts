import { describe, expect, it } from "vitest";
import { planBatches, type SendReport } from "../../cli/send-message-batches.js";

const message = (n: number, bytes = 10) => ({ location: `m${n}`, body: "x".repeat(bytes) });

describe("planBatches", () => {
  it("puts at most ten messages in a batch", () => {
    const report: SendReport = { sent: [], failed: [] };
    const batches = planBatches(
      Array.from({ length: 23 }, (_, i) => message(i)),
      report,
    );
    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
  });

  it("starts a new batch before 256 KiB and fails a message larger than that on its own", () => {
    const report: SendReport = { sent: [], failed: [] };
    const batches = planBatches(
      [message(1, 100_000), message(2, 100_000), message(3, 100_000), message(4, 262_145)],
      report,
    );
    expect(batches.map((b) => b.map((m) => m.location))).toEqual([["m1", "m2"], ["m3"]]);
    expect(report.failed).toEqual([
      { location: "m4", reason: "message is 262145 bytes; SQS accepts at most 262144" },
    ]);
  });
});

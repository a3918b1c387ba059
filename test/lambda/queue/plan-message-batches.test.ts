import { describe, expect, it } from "vitest";
import { messageSize, planMessageBatches } from "../../../lambda/queue/plan-message-batches.js";

const message = (bytes: number) => ({ body: "x".repeat(bytes) });

describe("planMessageBatches", () => {
  it("puts at most 10 messages in a batch", () => {
    const { batches } = planMessageBatches(Array.from({ length: 23 }, () => message(10)));

    expect(batches.map((b) => b.length)).toEqual([10, 10, 3]);
  });

  it("starts a new batch before the batch would exceed 256 KiB", () => {
    const { batches } = planMessageBatches([message(100_000), message(100_000), message(100_000)]);

    expect(batches).toEqual([[0, 1], [2]]);
  });

  it("reports a message larger than a batch instead of sending it", () => {
    const { batches, tooLarge } = planMessageBatches([message(10), message(262_145), message(10)]);

    expect(tooLarge).toEqual([1]);
    expect(batches).toEqual([[0, 2]]);
  });
});

describe("messageSize", () => {
  it("counts the body and each attribute's name, type and value", () => {
    const size = messageSize({
      body: "abc",
      attributes: { attempt: { DataType: "Number", StringValue: "12" } },
    });

    expect(size).toBe(3 + 7 + 6 + 2);
  });
});

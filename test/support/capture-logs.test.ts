import { Logger } from "@aws-lambda-powertools/logger";
import { describe, expect, it } from "vitest";
import { captureLogs, jsonLogEntries, startLogCapture } from "./capture-logs.js";

describe("captureLogs", () => {
  it("captures console.*, process.stdout and process.stderr and returns the block's result", async () => {
    const { result, lines } = await captureLogs(async () => {
      console.log("from %s", "console.log");
      console.error("from console.error");
      process.stdout.write("from stdout\n");
      process.stderr.write(Buffer.from("from stderr\n"));
      return 42;
    });

    expect(result).toBe(42);
    expect(lines).toEqual(["from console.log", "from console.error", "from stdout", "from stderr"]);
  });

  it("captures Powertools Logger JSON lines", async () => {
    const logger = new Logger({ serviceName: "workflow-dispatch" });
    const { lines } = await captureLogs(() =>
      logger.info("dispatched", { repository: "acme/api" }),
    );

    expect(jsonLogEntries(lines)).toEqual([
      expect.objectContaining({
        level: "INFO",
        message: "dispatched",
        service: "workflow-dispatch",
        repository: "acme/api",
      }),
    ]);
  });

  it("restores the original writers, also when the block throws", async () => {
    const originalLog = console.log;
    const originalWrite = process.stdout.write;

    await expect(captureLogs(() => Promise.reject(new Error("boom")))).rejects.toThrow("boom");

    expect(console.log).toBe(originalLog);
    expect(process.stdout.write).toBe(originalWrite);
  });

  it("keeps capturing until stop() with startLogCapture", () => {
    const capture = startLogCapture();
    console.warn("one");
    console.info("two");
    capture.stop();
    capture.stop();
    expect(capture.lines).toEqual(["one", "two"]);
  });
});

describe("jsonLogEntries", () => {
  it("keeps only lines that are JSON objects", () => {
    expect(jsonLogEntries(['{"a":1}', "plain", "[1]", "42"])).toEqual([{ a: 1 }]);
  });
});

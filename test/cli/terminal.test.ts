import { describe, expect, it } from "vitest";
import { runCli } from "../../cli/run-cli.js";
import { colorAllowed, createTerminal } from "../../cli/terminal.js";
import { FIRE_TIME_CONFIG, writeConfig } from "./config-files.js";

function fakeStream(isTTY: boolean) {
  const chunks: string[] = [];
  return { isTTY, chunks, write: (text: string) => chunks.push(text) };
}

describe("colorAllowed", () => {
  it.each([
    [true, {}, true],
    [false, {}, false],
    [true, { NO_COLOR: "1" }, false],
    [true, { NO_COLOR: "" }, true],
    [true, { TERM: "dumb" }, false],
  ])("on a TTY=%s with %j is %s", (isTTY, env, expected) => {
    expect(colorAllowed(fakeStream(isTTY), env)).toBe(expected);
  });
});

describe("runCli colour", () => {
  it("colours the schedules table on a terminal and never with NO_COLOR", async () => {
    const path = await writeConfig(FIRE_TIME_CONFIG);
    const args = ["schedules", "-c", path, "--from", "2027-01-01T00:00:00Z", "--name", "paused"];
    const tty = fakeStream(true);
    expect(await runCli(args, createTerminal(tty, fakeStream(true), {}))).toBe(0);
    expect(tty.chunks.join("")).toContain("\u001b[1mSCHEDULE");
    expect(tty.chunks.join("")).toContain("\u001b[33m[disabled]");
    const plain = fakeStream(true);
    expect(await runCli(args, createTerminal(plain, fakeStream(true), { NO_COLOR: "1" }))).toBe(0);
    expect(plain.chunks.join("")).toContain("paused [disabled]");
    expect(plain.chunks.join("")).not.toContain("\u001b[");
  });
});

import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../../infra/config/config-error.js";
import { loadConfig } from "../../../infra/config/load-config.js";

const dir = mkdtempSync(join(tmpdir(), "dispatch-config-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

async function loadError(path: string): Promise<ConfigError> {
  const error = await loadConfig(path).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe("loadConfig", () => {
  it("loads the example dispatch.config.ts with every schedule kind the README promises", async () => {
    const { config, source, warnings } = await loadConfig("dispatch.config.ts", {
      now: new Date("2026-11-25T00:00:00Z"),
    });

    expect(warnings).toEqual([]);
    expect(source.schedules).toHaveLength(config.schedules.length);
    const byKind = (kind: string) =>
      config.schedules.filter((s) => s.parsedExpression.kind === kind);
    expect(
      byKind("cron").some(
        (s) => s.expression === "cron(0 9 ? * MON-FRI *)" && s.timezone === "Europe/Berlin",
      ),
    ).toBe(true);
    expect(byKind("rate").map((s) => s.expression)).toContain("rate(10 minutes)");
    expect(byKind("at")).toHaveLength(1);
    expect(config.schedules.some((s) => s.flexibleWindowMinutes !== undefined)).toBe(true);
    const appSecret = config.secrets.find((s) => s.description?.includes("GitHub App"));
    expect(config.schedules.some((s) => s.job.token_secret === appSecret?.name)).toBe(true);
  });

  it("loads a TypeScript config exporting config", async () => {
    const path = configFile(
      "valid.config.ts",
      `const secret: string = "github/bot";
export const config = { github: { tokenSecret: secret }, secrets: [{ name: secret }], allowedRepositories: ["acme/*"], schedules: [] };`,
    );

    const loaded = await loadConfig(path);

    expect(loaded.path).toBe(path);
    expect(loaded.config.github.tokenSecret).toBe("github/bot");
  });

  it("rejects a missing file, saying how to create one", async () => {
    const error = await loadError(join(dir, "absent.config.ts"));

    expect(error.errors).toEqual([
      expect.stringContaining(
        "file not found; create it with export const config = defineConfig({ ... })",
      ),
    ]);
  });

  it("rejects a file that exports no config", async () => {
    const error = await loadError(configFile("empty.config.ts", "export const other = 1;\n"));

    expect(error.errors).toEqual([
      expect.stringContaining('exports no "config"; write export const config = defineConfig'),
    ]);
  });

  it("rejects a file that does not load", async () => {
    const error = await loadError(configFile("broken.config.ts", "export const config = {;\n"));

    expect(error.errors[0]).toContain("could not be loaded");
  });

  it("rejects an invalid config with every error in the message", async () => {
    const path = configFile(
      "invalid.config.ts",
      `export const config = { github: { tokenSecret: "github/bot" }, secrets: [{ name: "github/bot" }], allowedRepositories: ["acme/*"],
  schedules: [{ name: "a", expression: "rate(0 minutes)", timezone: "Mars/Olympus", job: { owner: "acme", repo: "api", workflow_id: "a.yml", ref: "main" } }] };`,
    );

    const error = await loadError(path);

    expect(error.errors).toHaveLength(2);
    expect(error.errors[1]).toContain(
      'schedules[0] "a".timezone: "Mars/Olympus" is not an IANA time zone',
    );
    for (const line of error.errors) expect(error.message).toContain(line);
  });
});

import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), "dispatch-app-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs infra/app.ts the way `cdk synth` does: a child process told its context and output directory. */
async function synthApp(context: Record<string, unknown>, outdir: string) {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", "infra/app.ts"], {
      env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify(context) },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe("infra/app.ts", () => {
  it("fails with exit code 1 and every config error before building anything", async () => {
    const config = join(dir, "broken.config.ts");
    writeFileSync(
      config,
      `export const config = { github: { tokenSecret: "github/bot" }, secrets: [{ name: "github/bot" }], allowedRepositories: ["acme/*"],
  schedules: [
    { name: "a", expression: "cron(0 9 * * MON-FRI)", job: { owner: "acme", repo: "api", workflow_id: "a.yml", ref: "main" } },
    { name: "b", expression: "rate(1 minute)", timezone: "Europe/Berln", job: { owner: "evil", repo: "api", workflow_id: "a.yml", ref: "main" } },
  ] };`,
    );
    const outdir = join(dir, "broken.out");

    const result = await synthApp({ config }, outdir);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("3 problems:");
    expect(result.stderr).toContain(
      'schedules[0] "a".expression: cron(0 9 * * MON-FRI): AWS cron has six fields',
    );
    expect(result.stderr).toContain(
      'schedules[1] "b".timezone: "Europe/Berln" is not an IANA time zone (did you mean "Europe/Berlin"?)',
    );
    expect(result.stderr).toContain(
      'schedules[1] "b".job.repo: "evil/api" is not in allowedRepositories',
    );
    expect(existsSync(join(outdir, "manifest.json"))).toBe(false);
  });

  describe("with the example dispatch.config.ts", () => {
    const outdir = join(dir, "example.out");
    let result: Awaited<ReturnType<typeof synthApp>>;

    beforeAll(async () => {
      result = await synthApp({ stackName: "DispatchExample" }, outdir);
    }, 60_000);

    it("synthesizes the stack offline, passing cdk-nag and CloudFormation validation", () => {
      expect(result.code, result.stderr).toBe(0);
      const template = JSON.parse(
        readFileSync(join(outdir, "DispatchExample.template.json"), "utf8"),
      ) as { Resources: Record<string, { Type: string }> };
      const schedules = Object.values(template.Resources).filter(
        (r) => r.Type === "AWS::Scheduler::Schedule",
      );
      expect(schedules).toHaveLength(5);
    });

    it("bundles the handler as an ES module that loads and exports handler", async () => {
      const asset = readdirSync(outdir).find(
        (name) => name.startsWith("asset.") && existsSync(join(outdir, name, "index.mjs")),
      );
      expect(asset).toBeDefined();
      expect(existsSync(join(outdir, asset as string, "index.mjs.map"))).toBe(true);

      const bundle = (await import(
        pathToFileURL(join(outdir, asset as string, "index.mjs")).href
      )) as { handler?: unknown };

      expect(typeof bundle.handler).toBe("function");
    });

    it("writes a source map that names the sources but leaves their text out", () => {
      const asset = readdirSync(outdir).find((name) =>
        existsSync(join(outdir, name, "index.mjs.map")),
      );
      const map = JSON.parse(
        readFileSync(join(outdir, String(asset), "index.mjs.map"), "utf8"),
      ) as {
        sources: string[];
        sourcesContent?: unknown;
      };

      expect(map.sources.some((source) => source.endsWith("lambda/handler.ts"))).toBe(true);
      expect(map.sourcesContent).toBeUndefined();
    });
  });
});

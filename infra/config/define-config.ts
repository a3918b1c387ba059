import type { DispatchConfig } from "./dispatch-config.js";

/**
 * Gives `dispatch.config.ts` its types (completion and compile errors in the editor) and returns the
 * config unchanged. Checking happens at synth time in `validateConfig`, which reports every problem.
 *
 * @example
 * export const config = defineConfig({
 *   github: { tokenSecret: "github/acme-bot" },
 *   secrets: [{ name: "github/acme-bot" }],
 *   allowedRepositories: ["acme/*"],
 *   schedules: [{ name: "nightly", expression: "cron(0 2 * * ? *)", job: { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" } }],
 * });
 */
export function defineConfig(config: DispatchConfig): DispatchConfig {
  return config;
}

import { existsSync } from "node:fs";
import { ConfigError } from "../infra/config/config-error.js";
import { DEFAULT_CONFIG_PATH, type LoadedConfig, loadConfig } from "../infra/config/load-config.js";
import { CliError, usageError } from "./cli-error.js";
import { ExitCode } from "./exit-code.js";

/**
 * Loads and validates the schedule config with the project's own loader. A missing file is a usage
 * error (exit 2); an invalid config a {@link CliError} (exit 1) whose message lists every problem.
 */
export async function loadCliConfig(path: string | undefined, now?: Date): Promise<LoadedConfig> {
  const file = path ?? DEFAULT_CONFIG_PATH;
  if (!existsSync(file)) {
    throw usageError(
      `${file}: no such config file; pass --config PATH or run from the directory holding ${DEFAULT_CONFIG_PATH}`,
    );
  }
  try {
    return await loadConfig(file, now ? { now } : {});
  } catch (error) {
    if (error instanceof ConfigError) {
      throw new CliError(error.message, ExitCode.Failed, { cause: error });
    }
    throw error;
  }
}

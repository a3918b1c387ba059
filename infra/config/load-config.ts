import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { ConfigError } from "./config-error.js";
import type { DispatchConfig } from "./dispatch-config.js";
import type { ResolvedDispatchConfig } from "./resolved-config.js";
import { type ValidateConfigOptions, validateConfig } from "./validate-config.js";

/** The config file looked for when no path is given, relative to the working directory. */
export const DEFAULT_CONFIG_PATH = "dispatch.config.ts";

/** A config file that loaded and passed validation. */
export interface LoadedConfig {
  /** Absolute path of the file that was read. */
  readonly path: string;
  /** The validated config with defaults applied. */
  readonly config: ResolvedDispatchConfig;
  /** The config exactly as the file exports it (valid), e.g. for `new WorkflowDispatch(..., { config })`. */
  readonly source: DispatchConfig;
  /** Warnings from validation (daylight saving, dates in the past, ...). */
  readonly warnings: readonly string[];
}

async function importModule(path: string): Promise<Record<string, unknown>> {
  const url = pathToFileURL(path).href;
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    // Plain Node cannot import TypeScript; tsx can, without a global loader.
    if ((error as { code?: unknown }).code !== "ERR_UNKNOWN_FILE_EXTENSION") throw error;
    const { tsImport } = await import("tsx/esm/api");
    return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
  }
}

/**
 * Imports a config file (TypeScript or JavaScript) exporting `config` (from `defineConfig`) and validates
 * it. Throws {@link ConfigError} listing every problem when the file is missing, exports no config, fails
 * to load, or does not validate.
 */
export async function loadConfig(
  path: string = DEFAULT_CONFIG_PATH,
  options: ValidateConfigOptions = {},
): Promise<LoadedConfig> {
  const absolute = resolve(path);
  if (!existsSync(absolute)) {
    throw new ConfigError(path, [
      `${path}: file not found; create it with export const config = defineConfig({ ... }) or pass the path of your config`,
    ]);
  }
  let module: Record<string, unknown>;
  try {
    module = await importModule(absolute);
  } catch (error) {
    throw new ConfigError(
      path,
      [`${path}: could not be loaded: ${error instanceof Error ? error.message : String(error)}`],
      [],
      { cause: error },
    );
  }
  const exported = module.config ?? module.default;
  if (exported === undefined) {
    throw new ConfigError(path, [
      `${path}: exports no "config"; write export const config = defineConfig({ ... })`,
    ]);
  }
  const result = validateConfig(exported, options);
  if (!result.config) throw new ConfigError(path, result.errors, result.warnings);
  return {
    path: absolute,
    config: result.config,
    source: exported as DispatchConfig,
    warnings: result.warnings,
  };
}

/**
 * The `--config` option of every config-reading command. Kept apart from the loader so defining the
 * commands (and `--help`) does not load the config validator.
 */
export const CONFIG_OPTION = {
  flags: "-c, --config <path>",
  description: "schedule config file (default: dispatch.config.ts in the working directory)",
} as const;

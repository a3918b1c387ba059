import { ConfigError } from "../../infra/config/config-error.js";
import { CliError } from "../cli-error.js";
import { type CommandContext, printJson } from "../command-context.js";
import { ExitCode } from "../exit-code.js";
import { loadCliConfig } from "../load-cli-config.js";

/** Options of `validate` as commander parses them. */
export interface ValidateOptions {
  readonly config?: string;
  readonly now?: Date;
  readonly strict?: boolean;
  readonly json?: boolean;
}

/** Runs `validate`; resolves to its exit code. */
export async function runValidate(
  context: CommandContext,
  options: ValidateOptions,
): Promise<ExitCode> {
  const { terminal } = context;
  const c = terminal.color;
  try {
    const loaded = await loadCliConfig(options.config, options.now);
    const failed = options.strict === true && loaded.warnings.length > 0;
    const { config } = loaded;
    if (options.json) {
      printJson(terminal, {
        path: loaded.path,
        valid: !failed,
        errors: [],
        warnings: loaded.warnings,
        schedules: config.schedules.length,
      });
    } else {
      for (const warning of loaded.warnings) terminal.out(`${c.yellow("warning")} ${warning}`);
      const enabled = config.schedules.filter((s) => s.enabled).length;
      terminal.out(
        `${failed ? c.red("✗") : c.green("✓")} ${loaded.path}: ${config.schedules.length} schedules (${enabled} enabled), ${config.secrets.length} secrets, ${config.allowedRepositories.length} allowed repository patterns; ${loaded.warnings.length} warnings${failed ? " (--strict: warnings fail)" : ""}`,
      );
    }
    return failed ? ExitCode.Failed : ExitCode.Ok;
  } catch (error) {
    const problem = error instanceof CliError ? error.cause : undefined;
    if (!(problem instanceof ConfigError)) throw error;
    if (options.json) {
      printJson(terminal, {
        path: problem.path,
        valid: false,
        errors: problem.errors,
        warnings: problem.warnings,
      });
    } else {
      for (const line of problem.errors) terminal.out(`${c.red("error")} ${line}`);
      for (const line of problem.warnings) terminal.out(`${c.yellow("warning")} ${line}`);
      terminal.out(
        `${c.red("✗")} ${problem.path}: ${problem.errors.length} errors, ${problem.warnings.length} warnings`,
      );
    }
    return ExitCode.Failed;
  }
}

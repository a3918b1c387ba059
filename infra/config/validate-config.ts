import { GITHUB_COM_MAX_INPUTS } from "../../lambda/job/dispatch-job.js";
import { RepositoryAllowlist } from "../../lambda/job/repository-allowlist.js";
import { closestName } from "./closest-name.js";
import { describeConfigIssues, pathShape } from "./config-issues.js";
import {
  CONFIG_FIELD_NAMES,
  DEFAULT_IDEMPOTENCY_WINDOW_HOURS,
  dispatchConfigSchema,
  REPOSITORY_PATTERN,
} from "./dispatch-config-schema.js";
import type { ResolvedDispatchConfig, ResolvedSchedule } from "./resolved-config.js";
import { validateSchedule } from "./validate-schedule.js";

/** Options of {@link validateConfig}. */
export interface ValidateConfigOptions {
  /**
   * The instant "now" for warnings about dates in the past and daylight-saving changes ahead.
   * @default new Date()
   */
  readonly now?: Date;
}

/** Every problem in a config, and the resolved config when there are no errors. */
export interface ConfigValidation {
  /** One line per error, each naming the field (and schedule), the value and the fix. */
  readonly errors: string[];
  /** Problems that still synthesize and deploy; the stack shows them as CDK warnings. */
  readonly warnings: string[];
  /** The config with defaults applied; present only when `errors` is empty. */
  readonly config?: ResolvedDispatchConfig;
}

type Raw = Record<string, unknown>;

/** Lambda allows 4 KB of environment in all; the allowlist gets most of it. */
const MAX_ALLOWLIST_CHARACTERS = 2500;

function asObject(value: unknown): Raw {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Raw) : {};
}

function strings(value: unknown, valid: (s: string) => boolean = () => true): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === "string" && valid(v))
    : [];
}

/**
 * Checks a whole config (typically `dispatch.config.ts`'s export) before anything is built and reports
 * every problem together: structure, each schedule's expression, time zone, window and dates, each job
 * against the shared job schema, input limit, allowlist and declared secrets, and duplicate names.
 * Never throws for a bad config; the app prints `errors` and exits non-zero.
 */
export function validateConfig(
  config: unknown,
  options: ValidateConfigOptions = {},
): ConfigValidation {
  const now = options.now ?? new Date();
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    return {
      errors: [
        `(config): expected an object, got ${config === null ? "null" : Array.isArray(config) ? "an array" : typeof config}; export const config = defineConfig({ ... })`,
      ],
      warnings: [],
    };
  }
  const errors: string[] = [];
  const warnings: string[] = [];
  const top = dispatchConfigSchema.safeParse(config);
  if (!top.success) {
    errors.push(
      ...describeConfigIssues(
        top.error.issues,
        "",
        (path) => CONFIG_FIELD_NAMES[pathShape(path)] ?? [],
      ),
    );
  }

  // Lenient reads, so schedules are still checked when another part of the config is wrong.
  const raw = config as Raw;
  const github = asObject(raw.github);
  const maxInputs =
    typeof github.maxInputs === "number" &&
    Number.isInteger(github.maxInputs) &&
    github.maxInputs > 0
      ? github.maxInputs
      : GITHUB_COM_MAX_INPUTS;
  const declaredSecrets = Array.isArray(raw.secrets)
    ? raw.secrets.map((s) => asObject(s).name).filter((n): n is string => typeof n === "string")
    : [];
  const allowlist = new RepositoryAllowlist(
    strings(raw.allowedRepositories, (p) => REPOSITORY_PATTERN.test(p)),
  );
  const joined = allowlist.source.join(",");
  if (joined.length > MAX_ALLOWLIST_CHARACTERS) {
    errors.push(
      `allowedRepositories: ${joined.length} characters together, but it travels in the function's environment (4 KB in all); keep it under ${MAX_ALLOWLIST_CHARACTERS} with patterns such as "acme/*" or "acme/service-*"`,
    );
  }
  errors.push(
    ...crossFieldErrors(
      github.tokenSecret,
      declaredSecrets,
      Array.isArray(raw.secrets) ? raw.secrets : [],
    ),
  );

  const schedules: ResolvedSchedule[] = [];
  const firstIndexByName = new Map<string, number>();
  const rawSchedules = Array.isArray(raw.schedules) ? raw.schedules : [];
  rawSchedules.forEach((entry, index) => {
    const check = validateSchedule(entry, index, { maxInputs, allowlist, declaredSecrets }, now);
    errors.push(...check.errors);
    warnings.push(...check.warnings);
    if (check.schedule) schedules.push(check.schedule);
    const name = asObject(entry).name;
    if (typeof name !== "string") return;
    const first = firstIndexByName.get(name);
    if (first === undefined) firstIndexByName.set(name, index);
    else {
      errors.push(
        `schedules[${index}] "${name}".name: duplicate of schedules[${first}]; schedule names must be unique, rename one`,
      );
    }
  });

  if (errors.length > 0 || !top.success) return { errors, warnings };
  const data = top.data;
  const email = data.alarms?.email;
  return {
    errors,
    warnings,
    config: {
      github: {
        apiUrl: (data.github.apiUrl ?? "https://api.github.com").replace(/\/+$/, ""),
        tokenSecret: data.github.tokenSecret,
        maxInputs,
      },
      secrets: data.secrets.map((s) => ({
        name: s.name,
        kmsKeyArn: s.kmsKeyArn,
        description: s.description,
        pacing: s.pacing,
      })),
      allowedRepositories: data.allowedRepositories,
      alarms: {
        emails: email === undefined ? [] : typeof email === "string" ? [email] : email,
        snsTopicArn: data.alarms?.snsTopicArn,
      },
      producers: data.producers ?? [],
      idempotencyWindowHours: data.idempotencyWindowHours ?? DEFAULT_IDEMPOTENCY_WINDOW_HOURS,
      schedules,
    },
  };
}

function crossFieldErrors(
  tokenSecret: unknown,
  declared: readonly string[],
  rawSecrets: readonly unknown[],
): string[] {
  const errors: string[] = [];
  if (
    typeof tokenSecret === "string" &&
    tokenSecret.length > 0 &&
    !declared.includes(tokenSecret)
  ) {
    const suggestion = closestName(tokenSecret, declared);
    errors.push(
      `github.tokenSecret: "${tokenSecret}" is not declared in secrets${
        suggestion ? ` (did you mean "${suggestion}"?)` : ""
      }; add { name: "${tokenSecret}" } to secrets so the function may read it`,
    );
  }
  const seen = new Set<string>();
  rawSecrets.forEach((secret, index) => {
    const name = asObject(secret).name;
    if (typeof name !== "string") return;
    if (seen.has(name)) {
      errors.push(`secrets[${index}].name: "${name}" is declared twice; remove the duplicate`);
    }
    seen.add(name);
  });
  return errors;
}

import { usageError } from "./cli-error.js";
import { parseInputs } from "./parse-inputs.js";

/** Options that describe one job on the command line. */
export interface JobArguments {
  /** `owner/repo`. */
  readonly repository: string;
  /** Workflow file name or numeric id. */
  readonly workflow: string;
  readonly ref?: string;
  /** Repeated `key=value`. */
  readonly input?: readonly string[];
  readonly tokenSecret?: string;
  readonly idempotencyKey?: string;
}

/**
 * Builds the unvalidated job wire object from command-line arguments; the shared schema
 * (`parseDispatchJob`) validates it afterwards. Throws a usage error for syntax the schema
 * cannot name well: a repository without `/`, a missing `--ref`, a bad `key=value`.
 */
export function jobFromArguments(args: JobArguments): Record<string, unknown> {
  const slash = args.repository.indexOf("/");
  if (slash <= 0 || slash !== args.repository.lastIndexOf("/")) {
    throw usageError(`repository "${args.repository}": expected owner/repo, e.g. acme/api`);
  }
  if (args.ref === undefined) {
    throw usageError("--ref is required: name the branch or tag to run on, e.g. --ref main");
  }
  const inputs = parseInputs(args.input ?? []);
  return {
    owner: args.repository.slice(0, slash),
    repo: args.repository.slice(slash + 1),
    workflow_id: /^[1-9][0-9]*$/.test(args.workflow) ? Number(args.workflow) : args.workflow,
    ref: args.ref,
    ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
    ...(args.tokenSecret ? { token_secret: args.tokenSecret } : {}),
    ...(args.idempotencyKey ? { idempotency_key: args.idempotencyKey } : {}),
  };
}

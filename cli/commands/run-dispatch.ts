import type { ResolvedDispatchConfig } from "../../infra/config/resolved-config.js";
import { type DispatchResult, dispatchWorkflow } from "../../lambda/github/dispatch-workflow.js";
import { createGitHubConnection } from "../../lambda/github/github-client.js";
import { type DispatchJob, isFanOutJob } from "../../lambda/job/dispatch-job.js";
import { parseDispatchJob } from "../../lambda/job/parse-job.js";
import { failedError, usageError } from "../cli-error.js";
import { type CommandContext, printJson } from "../command-context.js";
import { describeDispatchFailure } from "../describe-dispatch-failure.js";
import { ExitCode } from "../exit-code.js";
import { chooseTokenSource, describeTokenSource, readToken } from "../github-token.js";
import { jobFromArguments } from "../job-from-arguments.js";
import { loadCliConfig } from "../load-cli-config.js";
import { parseInputs } from "../parse-inputs.js";
import { findSchedule, jobFiredNow } from "../schedule-job.js";
import type { Terminal } from "../terminal.js";

/** Options of `dispatch` as commander parses them. */
export interface DispatchOptions {
  readonly ref?: string;
  readonly input?: string[];
  readonly secret?: string;
  readonly schedule?: string;
  readonly config?: string;
  readonly apiUrl?: string;
  readonly region?: string;
  readonly dryRun?: boolean;
  readonly json?: boolean;
}

interface Plan {
  readonly job: DispatchJob;
  readonly config?: ResolvedDispatchConfig;
  readonly schedule?: string;
}

async function plan(
  repository: string | undefined,
  workflow: string | undefined,
  options: DispatchOptions,
): Promise<Plan> {
  if (options.schedule === undefined) {
    if (repository === undefined || workflow === undefined) {
      throw usageError(
        "nothing to dispatch: give <repository> <workflow> --ref REF, or --schedule NAME",
      );
    }
    const job = parseDispatchJob(jobFromArguments({ repository, workflow, ...options }));
    return { job };
  }
  if (repository !== undefined) {
    throw usageError("give either --schedule NAME or <repository> <workflow>, not both");
  }
  const { config } = await loadCliConfig(options.config);
  const fired = jobFiredNow(findSchedule(config, options.schedule)) as Record<string, unknown>;
  const inputs = {
    ...(fired.inputs as Record<string, unknown> | undefined),
    ...parseInputs(options.input ?? []),
  };
  const job = parseDispatchJob(
    {
      ...fired,
      ...(options.ref === undefined ? {} : { ref: options.ref }),
      ...(Object.keys(inputs).length > 0 ? { inputs } : {}),
    },
    { maxInputs: config.github.maxInputs },
  );
  return { job, config, schedule: options.schedule };
}

function report(
  terminal: Terminal,
  job: DispatchJob & { owner: string; repo: string },
  result: DispatchResult,
): void {
  const c = terminal.color;
  const what = `${job.workflow_id} on ${job.owner}/${job.repo}@${job.ref}`;
  if (result.htmlUrl) {
    terminal.out(`${c.green("dispatched")} ${what}: run ${result.runId} ${result.htmlUrl}`);
  } else {
    terminal.out(
      `${c.green("dispatched")} ${what} (GitHub answered ${result.status} without run details; runs: https://github.com/${job.owner}/${job.repo}/actions)`,
    );
  }
}

/** Runs `dispatch`; resolves to its exit code. */
export async function runDispatch(
  context: CommandContext,
  repository: string | undefined,
  workflow: string | undefined,
  options: DispatchOptions,
): Promise<ExitCode> {
  const { terminal } = context;
  let p: Plan;
  try {
    p = await plan(repository, workflow, options);
  } catch (error) {
    throw describeDispatchFailure(error, "dispatch");
  }
  const job = p.job;
  if (isFanOutJob(job)) {
    throw failedError(
      `${p.schedule ? `schedule "${p.schedule}" holds` : "this is"} a fan-out job; the function expands it: send it through the queue with workflow-dispatch enqueue${p.schedule ? ` --schedule ${p.schedule}` : ""}`,
    );
  }
  const apiUrl = (
    options.apiUrl ??
    terminal.env.GITHUB_API_URL ??
    p.config?.github.apiUrl ??
    "https://api.github.com"
  ).replace(/\/+$/, "");
  const source = chooseTokenSource(
    {
      secret: options.secret,
      jobSecret: job.token_secret,
      configSecret: p.config?.github.tokenSecret,
    },
    terminal.env,
  );
  const request = {
    method: "POST",
    url: `${apiUrl}/repos/${job.owner}/${job.repo}/actions/workflows/${job.workflow_id}/dispatches`,
    body: { ref: job.ref, ...(job.inputs ? { inputs: job.inputs } : {}), return_run_details: true },
    token: describeTokenSource(source),
  };
  if (options.dryRun) {
    if (options.json) printJson(terminal, { dryRun: true, request });
    else {
      terminal.out(`dry run: would ${request.method} ${request.url}`);
      terminal.out(`  body: ${JSON.stringify(request.body)}`);
      terminal.out(`  token: ${request.token}`);
    }
    return ExitCode.Ok;
  }
  const github = createGitHubConnection({
    apiUrl,
    requestTimeoutMs: Number(terminal.env.GITHUB_REQUEST_TIMEOUT_MS) || 10_000,
    log: { warn: (m) => terminal.err(`github: ${m}`), error: (m) => terminal.err(`github: ${m}`) },
  });
  let token: string;
  try {
    token = await readToken(source, github.octokit.request, options.region, terminal.env);
  } catch (error) {
    throw describeDispatchFailure(error, "token");
  }
  let result: DispatchResult;
  try {
    result = await dispatchWorkflow(github, {
      job,
      token,
      secretId: describeTokenSource(source),
      timeoutMs: github.requestTimeoutMs,
    });
  } catch (error) {
    throw describeDispatchFailure(error, "dispatch");
  }
  if (options.json) {
    printJson(terminal, {
      repository: `${job.owner}/${job.repo}`,
      workflow_id: job.workflow_id,
      ref: job.ref,
      inputs: job.inputs ?? {},
      ...(p.schedule ? { schedule: p.schedule } : {}),
      status: result.status,
      runId: result.runId,
      runUrl: result.runUrl,
      htmlUrl: result.htmlUrl,
    });
  } else {
    report(terminal, job, result);
  }
  return ExitCode.Ok;
}

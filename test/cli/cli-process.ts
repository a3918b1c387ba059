import { spawn } from "node:child_process";
import { type AddressInfo, createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { test } from "vitest";
import { GitHubStandIn } from "../support/github-stand-in.js";
import { SecretsManagerStandIn } from "../support/secrets-manager-stand-in.js";
import { SqsStandIn } from "../support/sqs-stand-in.js";

/** The token the GitHub stand-in accepts and the `github/acme-bot` secret holds. */
export const GITHUB_TOKEN = "ghp_cli_test_token_0123456789";

/** What one run of the CLI printed and how it ended. */
export interface CliRun {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = fileURLToPath(new URL("../../cli/bin.js", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Stand-ins (or anything with a URL) the CLI subprocess is pointed at. */
export interface CliStandIns {
  readonly sqs?: { readonly url: string; queueUrl(name: string): string };
  readonly github?: { readonly url: string };
  readonly secrets?: { readonly url: string };
}

/**
 * An environment for the CLI subprocess that reaches only the stand-ins: dummy credentials, region,
 * the standard `AWS_ENDPOINT_URL_*` variables, the stack's queue URLs, no machine AWS profile.
 */
export function cliEnvironment(
  standIns: CliStandIns = {},
  extra: Record<string, string | undefined> = {},
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    AWS_REGION: "eu-central-1",
    AWS_ACCESS_KEY_ID: "AKIASTANDINEXAMPLE00",
    AWS_SECRET_ACCESS_KEY: "stand-in-secret-access-key",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: "/nonexistent/aws-config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials",
    AWS_MAX_ATTEMPTS: "1",
  };
  if (standIns.sqs) {
    env.AWS_ENDPOINT_URL_SQS = standIns.sqs.url;
    env.DISPATCH_QUEUE_URL = standIns.sqs.queueUrl("workflow-dispatch");
    env.DEAD_LETTER_QUEUE_URL = standIns.sqs.queueUrl("workflow-dispatch-dlq");
  }
  if (standIns.github) env.GITHUB_API_URL = standIns.github.url;
  if (standIns.secrets) env.AWS_ENDPOINT_URL_SECRETS_MANAGER = standIns.secrets.url;
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/**
 * Runs `node cli/bin.js ...args` and closes the read end of its stdout after the first chunk, as
 * `| head -1` does; resolves with the exit code and what it wrote to stderr.
 */
export function runCliProcessReadingFirstChunk(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ readonly code: number | null; readonly stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stderr = "";
    child.stdout.once("data", () => child.stdout.destroy());
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
    child.stdin.end();
  });
}

/** Runs `node cli/bin.js ...args` from the repository root and collects its output. */
export function runCliProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
  stdin?: string,
): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: ROOT, env });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? "");
  });
}

/**
 * `it` with fixtures: `sqs` (an SQS stand-in with the two stack queues), `github` and `secrets`,
 * each started only for the tests that ask for it and closed afterwards, so tests can run concurrently.
 */
export const withStandIns = test.extend<{
  sqs: SqsStandIn;
  github: GitHubStandIn;
  secrets: SecretsManagerStandIn;
}>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures must destructure their context
  sqs: async ({}, use) => {
    const standIn = await SqsStandIn.start();
    await use(standIn);
    await standIn.close();
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures must destructure their context
  github: async ({}, use) => {
    const standIn = await GitHubStandIn.start({ tokens: [GITHUB_TOKEN] });
    await use(standIn);
    await standIn.close();
  },
  // biome-ignore lint/correctness/noEmptyPattern: vitest fixtures must destructure their context
  secrets: async ({}, use) => {
    const standIn = await SecretsManagerStandIn.start({
      secrets: { "github/acme-bot": GITHUB_TOKEN },
    });
    await use(standIn);
    await standIn.close();
  },
});

/** `http://127.0.0.1:PORT` for a port nobody listens on (a refused connection, not fetch's blocked port 9). */
export async function closedPortUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

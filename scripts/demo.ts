import { generateKeyPairSync } from "node:crypto";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { config } from "../dispatch.config.js";
import { createHandler } from "../lambda/handler.js";
import { useStandInEnvironment } from "../test/support/aws-environment.js";
import {
  eventBridgeEvent,
  loadSharedEvent,
  schedulerPayload,
  sqsRecord,
} from "../test/support/events.js";
import { GitHubStandIn } from "../test/support/github-stand-in.js";
import { SecretsManagerStandIn } from "../test/support/secrets-manager-stand-in.js";
import { SqsStandIn } from "../test/support/sqs-stand-in.js";
import { synthExampleStack } from "./demo-synth.js";

/**
 * `npm start`: the whole tool on one machine, offline. Synthesizes the stack of `dispatch.config.ts`,
 * then runs the real handler (real Octokit, real AWS SDK clients) against the local stand-ins in
 * `test/support/`, and prints each dispatch GitHub received and each job parked, with its reason.
 * `--verbose` also shows the function's own JSON logs and metrics.
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const verbose = process.argv.includes("--verbose");
const TOKEN = "ghp_demo-token-not-a-real-secret";
const APP = { appId: 424242, installationId: 777 };

console.log("workflow-dispatch demo: everything below runs offline on this machine\n");
console.log("1. cdk synth of dispatch.config.ts");
const synth = synthExampleStack(root);
console.log(
  `   ok in ${synth.seconds.toFixed(1)} s: ${synth.schedules} schedules, ${synth.resources} resources in ${synth.templates} template(s) under ${path.relative(root, synth.assembly)}/\n`,
);

const keys = generateKeyPairSync("rsa", { modulusLength: 2048 });
const privateKey = keys.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
const publicKeyPem = keys.publicKey.export({ type: "spki", format: "pem" }).toString();
const github = await GitHubStandIn.start({ tokens: [TOKEN], app: { ...APP, publicKeyPem } });
const secrets = await SecretsManagerStandIn.start({
  secrets: {
    [config.github.tokenSecret]: TOKEN,
    "github/acme-release-app": JSON.stringify({ ...APP, privateKey }),
  },
});
const sqs = await SqsStandIn.start();
const restore = useStandInEnvironment({
  github,
  secrets,
  sqs,
  extra: {
    GITHUB_TOKEN_SECRET: config.github.tokenSecret,
    ALLOWED_REPOSITORIES: [...config.allowedRepositories, "acme/billing"].join(","),
    POWERTOOLS_LOG_LEVEL: verbose ? "INFO" : "SILENT",
    POWERTOOLS_METRICS_DISABLED: verbose ? "false" : "true",
  },
});
const handler = createHandler();
const DLQ = "workflow-dispatch-dlq";
const QUEUE = "workflow-dispatch";
const totals = { jobs: 0, dispatched: 0, parked: 0, retried: 0 };

/** Invokes the handler and prints what reached GitHub and the queues because of it. */
async function run(label: string, event: unknown): Promise<void> {
  const records = (event as { Records?: unknown[] }).Records;
  totals.jobs += records ? records.length : 1;
  const before = {
    dispatches: github.dispatches().length,
    parked: sqs.messages(DLQ).length,
    queued: sqs.messages(QUEUE).length,
  };
  const result = (await handler(event)) as { batchItemFailures?: { itemIdentifier: string }[] };
  console.log(`   ${label}`);
  for (const request of github.dispatches().slice(before.dispatches)) {
    const body = request.body as { ref?: string };
    console.log(`     dispatched  POST ${request.path} ref=${body.ref} -> ${request.status}`);
    totals.dispatched += 1;
  }
  for (const parked of sqs.messages(DLQ).slice(before.parked)) {
    const reason = parked.attributes.reason?.StringValue;
    console.log(
      `     parked      ${parked.attributes.repository?.StringValue ?? "(no job)"}: ${reason}`,
    );
    totals.parked += 1;
  }
  for (const queued of sqs.messages(QUEUE).slice(before.queued)) {
    console.log(`     retry       queued again with a ${queued.delaySeconds} s delay`);
    totals.retried += 1;
  }
  for (const failure of result.batchItemFailures ?? []) {
    console.log(
      `     retry       message ${failure.itemIdentifier} left on the queue (visibility delayed)`,
    );
    totals.retried += 1;
  }
}

try {
  console.log("2. The real handler against local GitHub, Secrets Manager and SQS stand-ins");
  console.log("   a) each schedule of dispatch.config.ts, as EventBridge Scheduler invokes it");
  for (const schedule of config.schedules) {
    const scheduleArn = `arn:aws:scheduler:eu-central-1:111122223333:schedule/workflow-dispatch/${schedule.name}`;
    await run(
      `schedule ${schedule.name} (${schedule.expression})`,
      schedulerPayload(schedule.job, { scheduleArn }),
    );
  }
  console.log("   b) the sample events of the design (test/fixtures/events)");
  for (const name of [
    "scheduler-invoke",
    "eventbridge-event",
    "sqs-batch",
    "eventbridge-scheduled-event-without-job",
  ]) {
    await run(`${name}.json`, loadSharedEvent(name));
  }
  console.log("   c) what goes wrong in a first incident");
  github.scriptFor("acme/web", {
    status: 422,
    body: { message: 'Unexpected inputs provided: ["colour"]' },
  });
  await run(
    "an unknown workflow input (GitHub answers 422)",
    eventBridgeEvent({
      owner: "acme",
      repo: "web",
      workflow_id: "deploy.yml",
      ref: "main",
      inputs: { colour: "blue" },
    }),
  );
  await run("a repository outside ALLOWED_REPOSITORIES", {
    owner: "acme",
    repo: "payroll",
    workflow_id: "run.yml",
    ref: "main",
  });
  await run("a job without ref", { owner: "acme", repo: "api", workflow_id: "nightly.yml" });
  github.scriptFor("acme/docs", { status: 503, body: { message: "Service Unavailable" } });
  await run("GitHub answers 503 (ambiguous: retried through the queue)", {
    owner: "acme",
    repo: "docs",
    workflow_id: "build.yml",
    ref: "main",
  });
  github.scriptFor("acme/api", { status: 429, headers: { "retry-after": "120" } });
  const batch = {
    Records: [sqsRecord({ owner: "acme", repo: "api", workflow_id: "audit.yml", ref: "main" })],
  };
  await run("an SQS message rate limited with retry-after: 120", batch);
  const accounted = totals.dispatched + totals.parked + totals.retried;
  console.log(
    `\n   ${totals.jobs} jobs: ${totals.dispatched} dispatched, ${totals.parked} parked in the dead-letter queue with their reason, ${totals.retried} retried later`,
  );
  if (accounted !== totals.jobs) {
    process.exitCode = 1;
    console.log(
      `   LOST: ${totals.jobs - accounted} job(s) neither dispatched, parked nor retried`,
    );
  } else {
    console.log("   every job accounted for: none lost");
  }
  console.log("   Next: npm test | npx cdk deploy (with AWS credentials) | README.md");
} finally {
  restore();
  await Promise.all([github.close(), secrets.close(), sqs.close()]);
}

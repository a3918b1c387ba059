/** Anything with a base URL: a stand-in, or `{ url }` for a service started elsewhere. */
interface HasUrl {
  readonly url: string;
}

/** An SQS stand-in (or lookalike) that can also name its queues' URLs. */
interface HasQueues extends HasUrl {
  queueUrl(name: string): string;
}

/** Stand-ins to point the real clients at; each one given sets its variable. */
export interface StandInEnvironment {
  /** Sets `GITHUB_API_URL`. */
  github?: HasUrl;
  /** Sets `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  secrets?: HasUrl;
  /**
   * Sets `AWS_ENDPOINT_URL_SQS`; with `queueUrl()` also `DISPATCH_QUEUE_URL` and
   * `DEAD_LETTER_QUEUE_URL` (queues `workflow-dispatch` and `workflow-dispatch-dlq`).
   */
  sqs?: HasUrl | HasQueues;
  /** Sets `AWS_ENDPOINT_URL_DYNAMODB`. */
  dynamodb?: HasUrl;
  /** More variables to set (or, with `undefined`, to unset) and restore with the rest. */
  extra?: Record<string, string | undefined>;
}

/** The region every test and stand-in uses. */
const STAND_IN_REGION = "eu-central-1";

/** Variables that could point a client at a real account; unset while stand-ins are in use. */
const REAL_AWS_VARIABLES = [
  "AWS_PROFILE",
  "AWS_SESSION_TOKEN",
  "AWS_ENDPOINT_URL",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_ROLE_ARN",
] as const;

/**
 * Points the real AWS SDK clients and Octokit at local stand-ins through the standard variables:
 * `AWS_REGION=eu-central-1`, dummy credentials, `AWS_ENDPOINT_URL_*`, `GITHUB_API_URL`.
 * Returns `restore()`, which puts `process.env` back exactly as it was. Build clients after calling it.
 */
export function useStandInEnvironment(standIns: StandInEnvironment = {}): () => void {
  const wanted: Record<string, string | undefined> = {
    AWS_REGION: STAND_IN_REGION,
    AWS_DEFAULT_REGION: STAND_IN_REGION,
    AWS_ACCESS_KEY_ID: "AKIASTANDINEXAMPLE00",
    AWS_SECRET_ACCESS_KEY: "stand-in-secret-access-key",
    AWS_EC2_METADATA_DISABLED: "true",
    ...Object.fromEntries(REAL_AWS_VARIABLES.map((name) => [name, undefined])),
  };
  if (standIns.github) wanted.GITHUB_API_URL = standIns.github.url;
  if (standIns.secrets) wanted.AWS_ENDPOINT_URL_SECRETS_MANAGER = standIns.secrets.url;
  if (standIns.dynamodb) wanted.AWS_ENDPOINT_URL_DYNAMODB = standIns.dynamodb.url;
  if (standIns.sqs) {
    wanted.AWS_ENDPOINT_URL_SQS = standIns.sqs.url;
    if ("queueUrl" in standIns.sqs) {
      wanted.DISPATCH_QUEUE_URL = standIns.sqs.queueUrl("workflow-dispatch");
      wanted.DEAD_LETTER_QUEUE_URL = standIns.sqs.queueUrl("workflow-dispatch-dlq");
    }
  }
  Object.assign(wanted, standIns.extra);

  const previous = new Map<string, string | undefined>();
  for (const [name, value] of Object.entries(wanted)) {
    previous.set(name, process.env[name]);
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  return () => {
    for (const [name, value] of previous) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

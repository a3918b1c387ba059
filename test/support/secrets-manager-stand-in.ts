import { createHash, randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  isRecord,
  parseBody,
  type StandInServer,
  sendJson,
  startStandInServer,
} from "./stand-in-server.js";

/** Errors the stand-in can inject, named as the service's `__type`. */
export type SecretsManagerErrorType =
  | "ThrottlingException"
  | "InternalServiceError"
  | "ResourceNotFoundException"
  | "AccessDeniedException"
  | "DecryptionFailure";

/** How the Secrets Manager stand-in starts. */
export interface SecretsManagerStandInOptions {
  /** Secret name -> `SecretString`. @default {} */
  secrets?: Record<string, string>;
}

interface StoredSecret {
  value: string;
  versionId: string;
  createdAt: number;
}

const REGION = "eu-central-1";
const ACCOUNT_ID = "111122223333";
const ARN_PREFIX = `arn:aws:secretsmanager:${REGION}:${ACCOUNT_ID}:secret:`;

/** Status and message of each error, as the real service sends them. */
const ERRORS: Record<SecretsManagerErrorType, { status: number; message: (id: string) => string }> =
  {
    ResourceNotFoundException: {
      status: 400,
      message: () => "Secrets Manager can't find the specified secret.",
    },
    ThrottlingException: { status: 400, message: () => "Rate exceeded" },
    InternalServiceError: { status: 500, message: () => "An error occurred on the server side." },
    AccessDeniedException: {
      status: 400,
      message: (id) =>
        `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/workflow-dispatch/function is not authorized to perform: secretsmanager:GetSecretValue on resource: ${id} because no identity-based policy allows the secretsmanager:GetSecretValue action`,
    },
    DecryptionFailure: {
      status: 400,
      message: () =>
        "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
    },
  };

/**
 * A local AWS Secrets Manager speaking AWS JSON 1.1 (`X-Amz-Target: secretsmanager.GetSecretValue`)
 * for the real `@aws-sdk/client-secrets-manager` through `AWS_ENDPOINT_URL_SECRETS_MANAGER`.
 * Secrets are found by name, full ARN (`...:secret:NAME-AbCdEf`) or partial ARN (`...:secret:NAME`).
 */
export class SecretsManagerStandIn {
  /** Every call: the `X-Amz-Target` header and the JSON body. */
  readonly requests: { target: string; body: unknown }[] = [];
  private readonly secrets = new Map<string, StoredSecret>();
  private readonly injected = new Map<string, SecretsManagerErrorType[]>();

  private constructor(private readonly server: StandInServer) {}

  /** Starts the stand-in on 127.0.0.1 with a random port. */
  static async start(options: SecretsManagerStandInOptions = {}): Promise<SecretsManagerStandIn> {
    let standIn: SecretsManagerStandIn | undefined;
    const server = await startStandInServer((request, body, response) =>
      standIn?.handle(request, body, response),
    );
    standIn = new SecretsManagerStandIn(server);
    for (const [name, value] of Object.entries(options.secrets ?? {}))
      standIn.setSecret(name, value);
    return standIn;
  }

  /** `http://127.0.0.1:PORT`: use as `AWS_ENDPOINT_URL_SECRETS_MANAGER`. */
  get url(): string {
    return this.server.url;
  }

  /** Creates or rotates a secret (by name, or by an ARN naming it); a new `VersionId` each time. */
  setSecret(id: string, secretString: string): void {
    this.secrets.set(this.nameOf(id), {
      value: secretString,
      versionId: randomUUID(),
      createdAt: Date.now(),
    });
  }

  /** Removes a secret: later reads get `ResourceNotFoundException`. */
  deleteSecret(id: string): void {
    this.secrets.delete(this.nameOf(id));
  }

  /** The secret's full ARN, with the six-character suffix Secrets Manager appends to the name. */
  arnOf(name: string): string {
    const suffix = createHash("sha256").update(name).digest("base64url").replace(/[-_]/g, "x");
    return `${ARN_PREFIX}${name}-${suffix.slice(0, 6)}`;
  }

  /** The next `times` reads of `id` (name or ARN) fail with `error`. The SDK retries throttling and 5xx by itself. */
  failNext(id: string, error: SecretsManagerErrorType, times = 1): void {
    const name = this.nameOf(id);
    const queue = this.injected.get(name) ?? [];
    for (let i = 0; i < times; i++) queue.push(error);
    this.injected.set(name, queue);
  }

  /** GetSecretValue calls, all or for one secret (by name or ARN), failed ones included. */
  callCount(id?: string): number {
    const reads = this.requests.filter((r) => r.target === "secretsmanager.GetSecretValue");
    if (id === undefined) return reads.length;
    const name = this.nameOf(id);
    return reads.filter((r) => isRecord(r.body) && this.nameOf(String(r.body.SecretId)) === name)
      .length;
  }

  /** Stops the server and destroys open connections. */
  close(): Promise<void> {
    return this.server.close();
  }

  /**
   * The secret name an id refers to: the name itself, or the name inside a full ARN (any region,
   * account and six-character suffix) or a partial ARN (no suffix).
   */
  private nameOf(id: string): string {
    const marker = ":secret:";
    if (!id.startsWith("arn:") || !id.includes(marker)) return id;
    const resource = id.slice(id.indexOf(marker) + marker.length);
    if (this.secrets.has(resource)) return resource;
    return resource.replace(/-[A-Za-z0-9]{6}$/, "");
  }

  private handle(request: IncomingMessage, body: Buffer, response: ServerResponse): void {
    const target = String(request.headers["x-amz-target"] ?? "");
    const input = parseBody(body);
    this.requests.push({ target, body: input });
    const send = (status: number, payload: unknown) =>
      sendJson(
        response,
        status,
        payload,
        { "x-amzn-requestid": randomUUID() },
        "application/x-amz-json-1.1",
      );

    if (target !== "secretsmanager.GetSecretValue") {
      send(400, {
        __type: "InvalidRequestException",
        message: `The Secrets Manager stand-in does not implement ${target}.`,
      });
      return;
    }
    const id = isRecord(input) ? String(input.SecretId ?? "") : "";
    const name = this.nameOf(id);
    const stored = this.secrets.get(name);
    const error =
      this.injected.get(name)?.shift() ?? (stored ? undefined : "ResourceNotFoundException");
    if (error || !stored) {
      const { status, message } = ERRORS[error ?? "ResourceNotFoundException"];
      send(status, { __type: error, message: message(id) });
      return;
    }
    send(200, {
      ARN: this.arnOf(name),
      Name: name,
      VersionId: stored.versionId,
      SecretString: stored.value,
      VersionStages: ["AWSCURRENT"],
      CreatedDate: stored.createdAt / 1000,
    });
  }
}

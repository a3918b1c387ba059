import {
  DecryptionFailure,
  GetSecretValueCommand,
  InternalServiceError,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { useStandInEnvironment } from "./aws-environment.js";
import { rejectionOf } from "./rejection-of.js";
import { SecretsManagerStandIn } from "./secrets-manager-stand-in.js";

const SECRET = "github/acme-bot";
const TOKEN = "ghp_secret_value_0123456789";

describe("SecretsManagerStandIn", () => {
  let secrets: SecretsManagerStandIn;
  let client: SecretsManagerClient;
  let restore: () => void;

  beforeEach(async () => {
    secrets = await SecretsManagerStandIn.start({ secrets: { [SECRET]: TOKEN } });
    restore = useStandInEnvironment({ secrets });
    client = new SecretsManagerClient({ maxAttempts: 1 });
  });
  afterEach(async () => {
    client.destroy();
    restore();
    await secrets.close();
  });

  const read = (SecretId: string) => client.send(new GetSecretValueCommand({ SecretId }));

  it("returns a secret by name with its ARN, version and stage", async () => {
    const result = await read(SECRET);

    expect(result).toMatchObject({
      Name: SECRET,
      SecretString: TOKEN,
      ARN: secrets.arnOf(SECRET),
      VersionStages: ["AWSCURRENT"],
    });
    expect(result.CreatedDate).toBeInstanceOf(Date);
    expect(secrets.requests[0]).toEqual({
      target: "secretsmanager.GetSecretValue",
      body: { SecretId: SECRET },
    });
  });

  it.each([
    ["its full ARN", () => secrets.arnOf(SECRET)],
    [
      "a full ARN with another suffix",
      () => `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${SECRET}-Zz9Yy8`,
    ],
    ["its partial ARN", () => `arn:aws:secretsmanager:eu-central-1:111122223333:secret:${SECRET}`],
  ])("finds a secret by %s", async (_, arn) => {
    const result = await read(arn());
    expect(result.SecretString).toBe(TOKEN);
    expect(secrets.callCount(SECRET)).toBe(1);
  });

  it("serves the new value and version after setSecret rotates it", async () => {
    const before = await read(SECRET);
    secrets.setSecret(SECRET, '{"token":"ghp_rotated"}');
    const after = await read(SECRET);

    expect(after.SecretString).toBe('{"token":"ghp_rotated"}');
    expect(after.VersionId).not.toBe(before.VersionId);
  });

  it("fails an unknown secret with the SDK's ResourceNotFoundException", async () => {
    const error = await rejectionOf(read("github/missing"), Error);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect(error).toMatchObject({
      name: "ResourceNotFoundException",
      message: "Secrets Manager can't find the specified secret.",
      $metadata: { httpStatusCode: 400 },
    });
  });

  it.each([
    ["ThrottlingException", 400, "client", SecretsManagerServiceException],
    ["InternalServiceError", 500, "server", InternalServiceError],
    ["ResourceNotFoundException", 400, "client", ResourceNotFoundException],
    ["AccessDeniedException", 400, "client", SecretsManagerServiceException],
    ["DecryptionFailure", 400, "client", DecryptionFailure],
  ] as const)(
    "fails the next read with an injected %s",
    async (type, status, fault, errorClass) => {
      secrets.failNext(SECRET, type);

      const error = await rejectionOf(read(SECRET), Error);
      const next = await read(SECRET);

      expect(error).toBeInstanceOf(errorClass);
      expect(error).toMatchObject({
        name: type,
        $fault: fault,
        $metadata: { httpStatusCode: status },
      });
      expect(error.message).not.toContain(TOKEN);
      expect(next.SecretString).toBe(TOKEN);
    },
  );

  it("injects failures per secret, also when addressed by ARN", async () => {
    secrets.setSecret("github/other", "ghp_other");
    secrets.failNext(secrets.arnOf(SECRET), "ThrottlingException", 2);

    const other = await read("github/other");
    const first = await rejectionOf(read(SECRET), Error);
    const second = await rejectionOf(read(secrets.arnOf(SECRET)), Error);

    expect(other.SecretString).toBe("ghp_other");
    expect([first.name, second.name]).toEqual(["ThrottlingException", "ThrottlingException"]);
    expect(secrets.callCount(SECRET)).toBe(2);
    expect(secrets.callCount("github/other")).toBe(1);
    expect(secrets.callCount()).toBe(3);
  });

  it("lets the SDK's default retries ride over one throttling error", async () => {
    secrets.failNext(SECRET, "ThrottlingException");
    const retrying = new SecretsManagerClient({});
    try {
      const result = await retrying.send(new GetSecretValueCommand({ SecretId: SECRET }));
      expect(result.SecretString).toBe(TOKEN);
    } finally {
      retrying.destroy();
    }
    expect(secrets.callCount(SECRET)).toBe(2);
  });

  it("fails a deleted secret with ResourceNotFoundException", async () => {
    secrets.deleteSecret(SECRET);
    expect(await rejectionOf(read(SECRET), Error)).toBeInstanceOf(ResourceNotFoundException);
  });
});

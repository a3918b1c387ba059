import { generateKeyPairSync } from "node:crypto";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createGitHubConnection } from "../../../lambda/github/github-client.js";
import { PermanentDispatchError, RetryableDispatchError } from "../../../lambda/outcome/errors.js";
import { TokenProvider } from "../../../lambda/secrets/token-provider.js";
import { GitHubStandIn } from "../../support/github-stand-in.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { SecretsManagerStandIn } from "../../support/secrets-manager-stand-in.js";

const TOKEN = "ghp_token_provider_test_0001";
const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const app = { appId: 4242, installationId: 777, publicKeyPem: publicKey };
const appSecret = JSON.stringify({ appId: 4242, privateKey, installationId: 777 });

let secrets: SecretsManagerStandIn;
let gitHub: GitHubStandIn;
let clock: number;

function provider(ttlMs = 300_000): TokenProvider {
  const client = new SecretsManagerClient({
    region: "eu-central-1",
    endpoint: secrets.url,
    credentials: { accessKeyId: "AKIAEXAMPLE", secretAccessKey: "example" },
    maxAttempts: 1,
  });
  const { octokit } = createGitHubConnection({
    apiUrl: gitHub.url,
    requestTimeoutMs: 2_000,
    log: { warn: () => undefined, error: () => undefined },
  });
  return new TokenProvider({ client, request: octokit.request, ttlMs, now: () => clock });
}

describe("TokenProvider", () => {
  beforeAll(async () => {
    secrets = await SecretsManagerStandIn.start();
    gitHub = await GitHubStandIn.start({ app });
  });
  afterAll(async () => {
    await secrets.close();
    await gitHub.close();
  });
  beforeEach(() => {
    clock = Date.now();
    secrets.setSecret("bare", TOKEN);
    secrets.setSecret("json", JSON.stringify({ token: TOKEN }));
    secrets.setSecret("app", appSecret);
  });

  it.each(["bare", "json"])("reads the token of a %s secret", async (id) => {
    expect(await provider().token(id)).toBe(TOKEN);
  });

  it("reads a secret once per TTL however many callers ask, concurrent ones included", async () => {
    const tokens = provider(60_000);
    const before = secrets.callCount("bare");
    await Promise.all(Array.from({ length: 20 }, () => tokens.token("bare")));
    for (let i = 0; i < 50; i++) await tokens.token("bare");
    expect(secrets.callCount("bare") - before).toBe(1);

    clock += 60_001;
    await tokens.token("bare");
    expect(secrets.callCount("bare") - before).toBe(2);
  });

  it("reads the secret again after invalidate, picking up a rotated value", async () => {
    const tokens = provider();
    await tokens.token("bare");
    secrets.setSecret("bare", "ghp_rotated_value_0002");
    expect(await tokens.token("bare")).toBe(TOKEN);
    tokens.invalidate("bare");
    expect(await tokens.token("bare")).toBe("ghp_rotated_value_0002");
  });

  it("mints an installation token from App credentials and reuses it", async () => {
    const tokens = provider();
    const minted = gitHub.mintedTokens().length;
    const token = await tokens.token("app");
    expect(await tokens.token("app")).toBe(token);
    expect(gitHub.mintedTokens().slice(minted)).toEqual([token]);
    const mint = gitHub.requests.findLast((r) => r.path === "/app/installations/777/access_tokens");
    expect(mint?.headers.authorization).toMatch(/^bearer /i);
    expect(mint?.headers["x-github-api-version"]).toBe("2022-11-28");
  });

  it("mints a new token five minutes before the current one expires, not earlier", async () => {
    const tokens = provider(24 * 3600_000);
    const first = await tokens.token("app");
    clock += 54 * 60_000;
    expect(await tokens.token("app")).toBe(first);
    clock += 2 * 60_000;
    const second = await tokens.token("app");
    expect(second).not.toBe(first);
    expect(gitHub.mintedTokens().slice(-2)).toEqual([first, second]);
  });

  it("mints afresh after invalidate", async () => {
    const tokens = provider();
    const first = await tokens.token("app");
    tokens.invalidate("app");
    expect(await tokens.token("app")).not.toBe(first);
  });

  it("hands out a cached token without waiting only while token() would not read or mint", async () => {
    const tokens = provider(60_000);
    expect(tokens.cachedToken("bare")).toBeUndefined();
    const pending = tokens.token("bare");
    expect(tokens.cachedToken("bare")).toBeUndefined(); // read under way
    await pending;
    expect(tokens.cachedToken("bare")).toBe(TOKEN);
    clock += 60_001;
    expect(tokens.cachedToken("bare")).toBeUndefined(); // TTL over: token() reads again
    await tokens.token("bare");
    tokens.invalidate("bare");
    expect(tokens.cachedToken("bare")).toBeUndefined();
  });

  it("hands out a cached installation token until five minutes before it expires", async () => {
    const tokens = provider(24 * 3600_000);
    expect(tokens.cachedToken("app")).toBeUndefined();
    const minted = await tokens.token("app");
    expect(tokens.cachedToken("app")).toBe(minted);
    clock += 56 * 60_000;
    expect(tokens.cachedToken("app")).toBeUndefined(); // due for refresh: token() mints
    expect(await tokens.token("app")).not.toBe(minted);
  });

  it("caches nothing from a failed read", async () => {
    secrets.failNext("bare", "InternalServiceError");
    const tokens = provider();
    await rejectionOf(tokens.token("bare"), Error);
    expect(tokens.cachedToken("bare")).toBeUndefined();
  });

  it.each([
    ["ThrottlingException", "transient"],
    ["InternalServiceError", "transient"],
  ] as const)("fails %s as retryable", async (type, cls) => {
    secrets.failNext("bare", type);
    const error = await rejectionOf(provider().token("bare"), Error);
    expect(error).toBeInstanceOf(RetryableDispatchError);
    expect(error).toMatchObject({ failureClass: cls, ambiguous: false });
    expect(error.message).toMatch(new RegExp(`secret "bare" right now \\(${type}\\)`));
  });

  it("reads again after a failed read instead of caching the failure", async () => {
    const tokens = provider();
    secrets.failNext("bare", "ThrottlingException");
    await rejectionOf(tokens.token("bare"), Error);
    expect(await tokens.token("bare")).toBe(TOKEN);
  });

  it.each([
    ["ResourceNotFoundException", /secret "bare" not found in Secrets Manager/],
    ["AccessDeniedException", /access to secret "bare" denied/],
    ["DecryptionFailure", /secret "bare" cannot be decrypted/],
  ] as const)("fails %s as permanent, naming the secret", async (type, reason) => {
    secrets.failNext("bare", type);
    const error = await rejectionOf(provider().token("bare"), Error);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(reason);
  });

  it("fails a secret that does not exist as permanent", async () => {
    const error = await rejectionOf(provider().token("github/nope"), Error);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(/secret "github\/nope" not found/);
  });

  it("fails an unparseable secret as permanent without quoting its value", async () => {
    secrets.setSecret("broken", `{"token": "${TOKEN}"`);
    const error = await rejectionOf(provider().token("broken"), Error);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(/secret "broken" is unusable: .*does not parse as JSON/);
    expect(error.message).not.toContain(TOKEN);
  });

  it("fails App credentials GitHub rejects as permanent, naming the App fix", async () => {
    const other = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    secrets.setSecret(
      "wrong-key",
      JSON.stringify({ appId: 4242, privateKey: other.privateKey, installationId: 777 }),
    );
    const error = await rejectionOf(provider().token("wrong-key"), Error);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(
      /GitHub App credentials in secret "wrong-key" were rejected \(401\)/,
    );
  });

  it("fails a private key that cannot sign as permanent without quoting it", async () => {
    const garbage = "-----BEGIN RSA PRIVATE KEY-----\nbm90IGEga2V5\n-----END RSA PRIVATE KEY-----";
    secrets.setSecret(
      "bad-key",
      JSON.stringify({ appId: 4242, privateKey: garbage, installationId: 777 }),
    );
    const error = await rejectionOf(provider().token("bad-key"), Error);
    expect(error).toBeInstanceOf(PermanentDispatchError);
    expect(error.message).toMatch(/privateKey is not a usable PEM RSA private key/);
    expect(error.message).not.toContain("bm90IGEga2V5");
  });
});

import { generateKeyPairSync } from "node:crypto";
import { createAppAuth } from "@octokit/auth-app";
import { Octokit } from "@octokit/core";
import { RequestError } from "@octokit/request-error";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { GitHubStandIn } from "./github-stand-in.js";
import { rejectionOf } from "./rejection-of.js";

const DISPATCH = "POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches";
const target = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const APP_ID = 123456;
const INSTALLATION_ID = 987654;

function keyPair() {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
}

const appKey = keyPair();
const otherKey = keyPair();

describe("GitHubStandIn as a GitHub App", () => {
  let gitHub: GitHubStandIn;
  let now: number;

  beforeEach(async () => {
    now = Date.now();
    gitHub = await GitHubStandIn.start({
      tokens: [],
      app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKeyPem: appKey.publicKey },
      clock: () => now,
    });
  });
  afterEach(() => gitHub.close());

  function appAuth(privateKey = appKey.privateKey, appId = APP_ID) {
    return createAppAuth({
      appId,
      privateKey,
      installationId: INSTALLATION_ID,
      request: new Octokit({ baseUrl: gitHub.url }).request,
    });
  }

  it("mints an installation token that dispatches afterwards", async () => {
    const { token, expiresAt } = await appAuth()({ type: "installation" });

    const octokit = new Octokit({ baseUrl: gitHub.url, auth: token });
    const response = await octokit.request(DISPATCH, target);

    expect(token).toMatch(/^ghs_/);
    expect(gitHub.mintedTokens()).toEqual([token]);
    expect(Date.parse(expiresAt) - now).toBeGreaterThan(3_590_000);
    expect(response.status).toBe(204);
    const mint = gitHub.requests[0];
    expect(mint?.path).toBe(`/app/installations/${INSTALLATION_ID}/access_tokens`);
    expect(mint?.headers.authorization).toMatch(/^bearer ey/i);
  });

  it("dispatches through Octokit's App auth strategy", async () => {
    const octokit = new Octokit({
      baseUrl: gitHub.url,
      authStrategy: createAppAuth,
      auth: { appId: APP_ID, privateKey: appKey.privateKey, installationId: INSTALLATION_ID },
    });
    const response = await octokit.request(DISPATCH, target);
    expect(response.status).toBe(204);
    expect(gitHub.mintedTokens()).toHaveLength(1);
  });

  it("answers the next mints as scripted, minting nothing, then mints again", async () => {
    gitHub.scriptMint({ status: 503, body: { message: "Service Unavailable" } });

    const error = await rejectionOf(appAuth()({ type: "installation" }), RequestError);
    const { token } = await appAuth()({ type: "installation" });

    expect(error.status).toBe(503);
    expect(gitHub.mintedTokens()).toEqual([token]);
    expect(gitHub.requests.map((r) => r.status)).toEqual([503, 201]);
  });

  it("never answers a mint scripted to hang, so the client times out", async () => {
    gitHub.scriptMint({ status: 201, fault: "hang" });
    const timedOut = new Octokit().request.defaults({
      baseUrl: gitHub.url,
      request: { signal: AbortSignal.timeout(100) },
    });
    const auth = createAppAuth({
      appId: APP_ID,
      privateKey: appKey.privateKey,
      installationId: INSTALLATION_ID,
      request: timedOut,
    });

    const error = await rejectionOf(auth({ type: "installation" }), RequestError);

    expect(error.cause).toMatchObject({ name: "TimeoutError" });
    expect(gitHub.requests).toMatchObject([
      { path: `/app/installations/${INSTALLATION_ID}/access_tokens`, status: 0 },
    ]);
    expect(gitHub.mintedTokens()).toEqual([]);
  });

  it("answers GET /app/installations/{id} for a valid App JWT", async () => {
    const { token } = await appAuth()({ type: "app" });
    const octokit = new Octokit({ baseUrl: gitHub.url, auth: token });
    const response = await octokit.request("GET /app/installations/{installation_id}", {
      installation_id: INSTALLATION_ID,
    });
    expect(response.data).toMatchObject({ id: INSTALLATION_ID, app_id: APP_ID });
  });

  it.each([
    ["a JWT signed with another key", otherKey.privateKey, APP_ID, /could not be decoded/],
    ["a JWT for another App id", appKey.privateKey, 42, /Integration not found/],
  ])("rejects %s with 401", async (_, privateKey, appId, message) => {
    const error = await rejectionOf(
      appAuth(privateKey, appId)({ type: "installation" }),
      RequestError,
    );
    expect(error.status).toBe(401);
    expect(error.message).toMatch(message);
    expect(gitHub.mintedTokens()).toEqual([]);
  });

  it("rejects an expired App JWT with 401", async () => {
    const { token: jwt } = await appAuth()({ type: "app" });
    now += 11 * 60 * 1000;
    const octokit = new Octokit({ baseUrl: gitHub.url, auth: jwt });
    const error = await rejectionOf(
      octokit.request("POST /app/installations/{installation_id}/access_tokens", {
        installation_id: INSTALLATION_ID,
      }),
      RequestError,
    );
    expect(error.status).toBe(401);
    expect(error.message).toMatch(/'Expiration time' claim/);
  });

  it("rejects a token for another installation with 404", async () => {
    const { token: jwt } = await appAuth()({ type: "app" });
    const octokit = new Octokit({ baseUrl: gitHub.url, auth: jwt });
    const error = await rejectionOf(
      octokit.request("POST /app/installations/{installation_id}/access_tokens", {
        installation_id: 1,
      }),
      RequestError,
    );
    expect(error.status).toBe(404);
  });

  it("rejects a minted token with 401 once it has expired", async () => {
    const { token } = await appAuth()({ type: "installation" });
    now += 3601 * 1000;
    const octokit = new Octokit({ baseUrl: gitHub.url, auth: token });
    const error = await rejectionOf(octokit.request(DISPATCH, target), RequestError);
    expect(error.status).toBe(401);
  });

  it("rejects minted tokens with 401 after acceptTokens revokes them", async () => {
    const { token } = await appAuth()({ type: "installation" });
    gitHub.acceptTokens("ghp_only");
    const octokit = new Octokit({ baseUrl: gitHub.url, auth: token });
    const error = await rejectionOf(octokit.request(DISPATCH, target), RequestError);
    expect(error.status).toBe(401);
    expect(gitHub.mintedTokens()).toEqual([token]);
  });

  it("rejects minting with 401 when no App is configured", async () => {
    const plain = await GitHubStandIn.start();
    try {
      const error = await rejectionOf(
        createAppAuth({
          appId: APP_ID,
          privateKey: appKey.privateKey,
          installationId: INSTALLATION_ID,
          request: new Octokit({ baseUrl: plain.url }).request,
        })({ type: "installation" }),
        RequestError,
      );
      expect(error.status).toBe(401);
    } finally {
      await plain.close();
    }
  });
});

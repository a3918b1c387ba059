import { generateKeyPairSync } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { schedulerPayload, sqsEvent, sqsRecord } from "../support/events.js";
import { DispatchHarness, SECRET_ID, TOKEN } from "./process/dispatch-harness.js";

const job = { owner: "acme", repo: "api", workflow_id: "nightly.yml", ref: "main" };
const { privateKey, publicKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const app = { appId: 31337, installationId: 4242, publicKeyPem: publicKey };

function authorizations(h: DispatchHarness): unknown[] {
  return h.gitHub.requests
    .filter((r) => r.path.endsWith("/dispatches"))
    .map((r) => r.headers.authorization);
}

describe("handler: tokens", () => {
  let h: DispatchHarness;
  afterEach(() => h.close());

  it("reads the secret once for many dispatches in one container (inside the TTL)", async () => {
    h = await DispatchHarness.start();
    const handler = h.handler();

    for (let i = 0; i < 5; i++) {
      await h.invoke(sqsEvent(...Array.from({ length: 10 }, () => sqsRecord(job))), handler);
      await h.invoke(schedulerPayload(job), handler);
    }

    expect(h.gitHub.dispatches()).toHaveLength(55);
    expect(h.secrets.callCount(SECRET_ID)).toBe(1);
  });

  it("reads the secret again after SECRET_CACHE_TTL_MS", async () => {
    h = await DispatchHarness.start();
    let now = Date.now();
    const handler = h.handler({ now: () => now });
    await h.invoke(schedulerPayload(job), handler);
    now += 300_001;
    await h.invoke(schedulerPayload(job), handler);
    expect(h.secrets.callCount(SECRET_ID)).toBe(2);
  });

  it("picks up a rotated token on the first 401: re-reads the secret once and dispatches", async () => {
    h = await DispatchHarness.start();
    const rotated = "ghp_rotated_token_9876543210fedcba";
    h.secretValues.push(rotated);
    const handler = h.handler();
    await h.invoke(schedulerPayload(job), handler);
    h.gitHub.acceptTokens(rotated);
    h.secrets.setSecret(SECRET_ID, rotated);

    const { result } = await h.invoke(schedulerPayload(job), handler);

    expect(result).toMatchObject({ outcome: "dispatched" });
    expect(authorizations(h)).toEqual([`Bearer ${TOKEN}`, `Bearer ${TOKEN}`, `Bearer ${rotated}`]);
    expect(h.secrets.callCount(SECRET_ID)).toBe(2);
  });

  it("reads the secret a job names in token_secret", async () => {
    h = await DispatchHarness.start({ tokens: [TOKEN, "ghp_other_team_token_000000000001"] });
    h.secretValues.push("ghp_other_team_token_000000000001");
    h.secrets.setSecret(
      "github/other-team",
      JSON.stringify({ token: "ghp_other_team_token_000000000001" }),
    );

    await h.invoke(schedulerPayload({ ...job, token_secret: "github/other-team" }));

    expect(authorizations(h)).toEqual(["Bearer ghp_other_team_token_000000000001"]);
    expect(h.secrets.callCount(SECRET_ID)).toBe(0);
  });

  it("mints a GitHub App installation token, reuses it, and refreshes it 5 minutes before expiry", async () => {
    h = await DispatchHarness.start({ app });
    h.secretValues.push(privateKey);
    h.secrets.setSecret(
      SECRET_ID,
      JSON.stringify({ appId: 31337, privateKey, installationId: 4242 }),
    );
    let now = Date.now();
    const handler = h.handler({ now: () => now });

    await h.invoke(schedulerPayload(job), handler);
    await h.invoke(sqsEvent(sqsRecord(job), sqsRecord(job)), handler);
    const [first] = h.gitHub.mintedTokens();
    now += 56 * 60_000;
    await h.invoke(schedulerPayload(job), handler);

    const minted = h.gitHub.mintedTokens();
    expect(minted).toHaveLength(2);
    expect(minted[0]).toMatch(/^ghs_/);
    expect(authorizations(h)).toEqual([
      `Bearer ${first}`,
      `Bearer ${first}`,
      `Bearer ${first}`,
      `Bearer ${minted[1]}`,
    ]);
    h.secretValues.push(...minted);
  });

  it("parks a job when the App's key is rejected, without leaking the key or the JWT", async () => {
    h = await DispatchHarness.start({ app });
    const other = generateKeyPairSync("rsa", {
      modulusLength: 2048,
      privateKeyEncoding: { type: "pkcs8", format: "pem" },
      publicKeyEncoding: { type: "spki", format: "pem" },
    });
    h.secretValues.push(other.privateKey);
    h.secrets.setSecret(
      SECRET_ID,
      JSON.stringify({ appId: 31337, privateKey: other.privateKey, installationId: 4242 }),
    );

    const { result } = await h.invoke(schedulerPayload(job));

    expect(result).toMatchObject({
      outcome: "parked",
      reason: expect.stringMatching(
        /GitHub App credentials in secret "github\/acme-bot" were rejected \(401\)/,
      ),
    });
  });
});

describe("handler: GitHub Enterprise Server", () => {
  let h: DispatchHarness;
  afterEach(() => h.close());

  it("falls back once without return_run_details, then goes straight for the rest of the container", async () => {
    h = await DispatchHarness.start({ mode: "ghes" });
    h.environment({ GITHUB_API_URL: `${h.gitHub.url}/api/v3`, MAX_WORKFLOW_INPUTS: "10" });
    const handler = h.handler();

    const first = await h.invoke(schedulerPayload(job), handler);
    const second = await h.invoke(schedulerPayload(job), handler);

    expect(first.result).toMatchObject({ outcome: "dispatched", status: 204 });
    expect(second.result).toMatchObject({ outcome: "dispatched", status: 204 });
    expect(
      h.gitHub.requests.map((r) => [
        r.status,
        (r.body as Record<string, unknown>).return_run_details,
      ]),
    ).toEqual([
      [422, true],
      [204, undefined],
      [204, undefined],
    ]);
  });

  it("parks a job with more inputs than MAX_WORKFLOW_INPUTS allows", async () => {
    h = await DispatchHarness.start({ mode: "ghes" });
    h.environment({ MAX_WORKFLOW_INPUTS: "10" });
    const inputs = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`i${i}`, i]));

    const { result } = await h.invoke(schedulerPayload({ ...job, inputs }));

    expect(result).toMatchObject({
      outcome: "parked",
      reason: expect.stringMatching(
        /has 11 inputs but at most 10 are allowed \(the configured MAX_WORKFLOW_INPUTS\)/,
      ),
    });
    expect(h.gitHub.requests).toEqual([]);
  });
});

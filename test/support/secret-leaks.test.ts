import { generateKeyPairSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectNoSecrets, findSecretLeaks } from "./secret-leaks.js";

const TOKEN = "ghp_0123456789abcdefABCDEF0123456789abcd";
const { privateKey } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs8", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});
const keyLine = privateKey.split("\n")[5] ?? "";

describe("expectNoSecrets", () => {
  it("passes clean output", () => {
    expect(() =>
      expectNoSecrets(['{"message":"dispatched","token_secret":"github/acme-bot"}'], [TOKEN]),
    ).not.toThrow();
  });

  it.each([
    ["a listed secret", `using ${TOKEN}`, "secret #1"],
    ["a JSON-escaped secret", JSON.stringify({ value: 'pa"ss\\word-1234' }), "secret #2"],
    ["one line of a private key", `{"key":"${keyLine}"}`, "secret #3"],
    ["a private-key marker", "-----BEGIN RSA PRIVATE KEY-----", "private key"],
    ["an Authorization header value", '{"authorization":"token abc123"}', "authorization header"],
    ["a Bearer header in a dump", "Authorization: Bearer abc.def.ghi", "authorization header"],
    ["an unlisted GitHub token", "ghs_16charactersorlonger_x", "GitHub token"],
    ["a JWT", "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIxMjMifQ.c2ln", "JWT"],
  ])("throws on %s", (_, line, kind) => {
    const secrets = [TOKEN, 'pa"ss\\word-1234', privateKey];
    expect(() => expectNoSecrets([line], secrets)).toThrow(kind);
  });

  it("throws an error that masks what leaked", () => {
    let message = "";
    try {
      expectNoSecrets(["first line", `Bad credentials for ${TOKEN}`], [TOKEN]);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain("line 1: secret #1: Bad credentials for [SECRET #1]");
    expect(message).not.toContain(TOKEN);
  });

  it("accepts a redacted Authorization header and can skip token patterns", () => {
    expect(findSecretLeaks(['{"authorization":"[REDACTED]"}'], [])).toEqual([]);
    expect(findSecretLeaks(["ghp_standin_default_token"], [], { tokenPatterns: false })).toEqual(
      [],
    );
  });
});

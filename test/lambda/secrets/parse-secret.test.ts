import { describe, expect, it } from "vitest";
import { parseSecret, UnusableSecretError } from "../../../lambda/secrets/parse-secret.js";

const KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----";
const TOKEN = "ghp_0123456789abcdefSECRET";

describe("parseSecret", () => {
  it.each([
    ["a bare token", TOKEN, { kind: "token", token: TOKEN }],
    ["a bare token with a trailing newline", `${TOKEN}\n`, { kind: "token", token: TOKEN }],
    ["JSON with a token", JSON.stringify({ token: TOKEN }), { kind: "token", token: TOKEN }],
    [
      "GitHub App JSON",
      JSON.stringify({ appId: 123, privateKey: KEY, installationId: 456 }),
      { kind: "app", appId: "123", privateKey: KEY, installationId: 456 },
    ],
    [
      "GitHub App JSON with string ids and an escaped key",
      JSON.stringify({
        appId: "123",
        privateKey: KEY.replace(/\n/g, "\\n"),
        installationId: "456",
      }),
      { kind: "app", appId: "123", privateKey: KEY, installationId: 456 },
    ],
  ])("reads %s", (_name, value, expected) => {
    expect(parseSecret(value)).toEqual(expected);
  });

  it.each([
    ["a binary secret", undefined, /no SecretString/],
    ["an empty value", "  ", /empty/],
    ["broken JSON", `{"token": "${TOKEN}"`, /does not parse as JSON/],
    ["a JSON array", "[1]", /not an object/],
    [
      "JSON with an empty token",
      JSON.stringify({ token: "" }),
      /"token" must be a non-empty string/,
    ],
    ["JSON with other fields", JSON.stringify({ pat: TOKEN }), /fields "pat" but needs "token"/],
    [
      "App JSON without installationId",
      JSON.stringify({ appId: 1, privateKey: KEY }),
      /installationId missing or malformed/,
    ],
    [
      "App JSON with a non-PEM key",
      JSON.stringify({ appId: 1, privateKey: TOKEN, installationId: 2 }),
      /privateKey missing/,
    ],
    ["a bare private key", KEY, /bare private key; store GitHub App JSON/],
    ["two words", `${TOKEN} ${TOKEN}`, /one word/],
  ])("rejects %s without quoting the value", (_name, value, message) => {
    let caught: unknown;
    try {
      parseSecret(value);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(UnusableSecretError);
    const text = (caught as Error).message;
    expect(text).toMatch(message);
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain("MIIEabc");
  });
});

import { describe, expect, it } from "vitest";
import { redactSecrets } from "../../../lambda/observability/redact-secrets.js";

describe("redactSecrets", () => {
  it.each([
    ["a classic token", "failed with ghp_abcDEF123456", "failed with [REDACTED]"],
    ["an installation token", "ghs_abc123_longer_than_before", "[REDACTED]"],
    ["a fine-grained token", "github_pat_11ABC_xyz", "[REDACTED]"],
    [
      "an Authorization value",
      "authorization: Bearer abc.def-ghi-jkl-mno-pqr",
      "authorization: [REDACTED]",
    ],
    ["a token header", "Authorization: token 0123abcd0123abcd", "Authorization: [REDACTED]"],
    [
      "a PEM key",
      "key -----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY----- end",
      "key [REDACTED] end",
    ],
  ])("masks %s", (_name, text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it("leaves ordinary reasons alone", () => {
    const reason =
      'workflow nightly.yml in acme/api not found (404): the token in secret "github/bot" lacks access';
    expect(redactSecrets(reason)).toBe(reason);
  });
});

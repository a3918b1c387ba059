import { describe, expect, it } from "vitest";
import { secretNameOf, tokenIdentity } from "../../../lambda/pacing/token-identity.js";

describe("tokenIdentity", () => {
  it("is a short hash of the secret name, the same for its ARN", () => {
    const byName = tokenIdentity("github/acme-bot");

    expect(byName).toMatch(/^[0-9a-f]{16}$/);
    expect(
      tokenIdentity(
        "arn:aws:secretsmanager:eu-central-1:111122223333:secret:github/acme-bot-a1B2c3",
      ),
    ).toBe(byName);
    expect(tokenIdentity("github/other-bot")).not.toBe(byName);
  });

  it("never contains the secret id itself", () => {
    expect(tokenIdentity("github/acme-bot")).not.toContain("acme");
  });
});

describe("secretNameOf", () => {
  it.each([
    ["github/acme-bot", "github/acme-bot"],
    [
      "arn:aws:secretsmanager:eu-central-1:111122223333:secret:github/acme-bot-a1B2c3",
      "github/acme-bot",
    ],
  ])("reads %s as %s", (id, name) => {
    expect(secretNameOf(id)).toBe(name);
  });
});

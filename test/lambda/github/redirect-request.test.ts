import { describe, expect, it } from "vitest";
import { type OutgoingRequest, outgoingRequest } from "../../../lambda/github/outgoing-request.js";
import { redirectRequest } from "../../../lambda/github/redirect-request.js";

const FROM = "https://ghes.example.com/api/v3/repos/acme/old/actions/workflows/1/dispatches";

function request(method: string): Promise<OutgoingRequest> {
  const body = method === "GET" || method === "HEAD" ? undefined : '{"ref":"main"}';
  return outgoingRequest(FROM, {
    method,
    body,
    headers: { authorization: "Bearer t", "content-type": "application/json" },
  });
}

describe("redirectRequest", () => {
  it.each([
    [307, "POST", "POST", true],
    [308, "POST", "POST", true],
    [301, "POST", "GET", false],
    [302, "POST", "GET", false],
    [303, "POST", "GET", false],
    [301, "PUT", "PUT", true],
    [303, "PUT", "GET", false],
    [303, "HEAD", "HEAD", false],
  ])("answers a %i to a %s with a %s (body kept: %s)", async (status, method, next, kept) => {
    const redirected = redirectRequest(await request(method), status, "/api/v3/repositories/9");

    expect(redirected.method).toBe(next);
    expect(redirected.body !== undefined).toBe(kept);
    expect(redirected.headers["content-type"] !== undefined).toBe(kept || method === "HEAD");
    expect(redirected.url.href).toBe("https://ghes.example.com/api/v3/repositories/9");
    expect(redirected.headers.authorization).toBe("Bearer t");
  });

  it("drops credentials for another origin, also another port or scheme", async () => {
    for (const location of [
      "https://elsewhere.example.com/x",
      "https://ghes.example.com:8443/x",
      "http://ghes.example.com/x",
    ]) {
      expect(redirectRequest(await request("POST"), 307, location).headers).not.toHaveProperty(
        "authorization",
      );
    }
  });

  it("throws for a location that is not http(s)", async () => {
    const post = await request("POST");

    expect(() => redirectRequest(post, 307, "file:///etc/passwd")).toThrow(
      /unsupported URL scheme/,
    );
    expect(() => redirectRequest(post, 307, "ftp://x/")).toThrow(/unsupported URL scheme/);
  });
});

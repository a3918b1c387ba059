import { describe, expect, it } from "vitest";
import { outgoingRequest } from "../../../lambda/github/outgoing-request.js";

const URL_TEXT = "https://api.github.com/repos/acme/api";

describe("outgoingRequest", () => {
  it.each([
    ["post", "POST"],
    ["Delete", "DELETE"],
    ["patch", "patch"],
    [undefined, "GET"],
  ])("normalizes method %s to %s, as fetch does", async (method, expected) => {
    const body = method === undefined ? undefined : "x";

    expect((await outgoingRequest(URL_TEXT, { method, body })).method).toBe(expected);
  });

  it.each([
    ["a record", { "X-One": "1", "x-list": ["a", "b"] }],
    [
      "a Headers object",
      new Headers([
        ["X-One", "1"],
        ["x-list", "a"],
        ["x-list", "b"],
      ]),
    ],
    [
      "pairs",
      [
        ["X-One", "1"],
        ["x-list", "a"],
        ["X-List", "b"],
      ],
    ],
  ])("reads headers from %s into lower-case names, repeated ones joined", async (_, headers) => {
    const out = await outgoingRequest(URL_TEXT, { headers });

    expect({ ...out.headers }).toEqual({
      "x-one": "1",
      "x-list": "a, b",
      accept: "*/*",
      "accept-encoding": "gzip, deflate",
    });
  });

  it.each([
    ["a string", "a=1", "text/plain;charset=UTF-8", "a=1"],
    [
      "URLSearchParams",
      new URLSearchParams({ a: "1" }),
      "application/x-www-form-urlencoded;charset=UTF-8",
      "a=1",
    ],
  ])("gives %s body fetch's default content type", async (_, body, contentType, sent) => {
    const out = await outgoingRequest(URL_TEXT, { method: "POST", body });

    expect(out.headers["content-type"]).toBe(contentType);
    expect(out.body).toBe(sent);
  });

  it("keeps the caller's content type and accept", async () => {
    const out = await outgoingRequest(URL_TEXT, {
      method: "POST",
      body: "{}",
      headers: { "Content-Type": "application/json", Accept: "application/vnd.github+json" },
    });

    expect(out.headers).toMatchObject({
      "content-type": "application/json",
      accept: "application/vnd.github+json",
    });
  });

  it.each([
    ["an ArrayBuffer", new Uint8Array([1, 2, 3]).buffer],
    ["a view into a larger buffer", new Uint8Array([0, 1, 2, 3, 4]).subarray(1, 4)],
  ])("sends %s as its bytes", async (_, body) => {
    const out = await outgoingRequest(URL_TEXT, { method: "PUT", body });

    expect([...(out.body as Uint8Array)]).toEqual([1, 2, 3]);
  });

  it("takes URL, method, headers, body, redirect and signal from a Request", async () => {
    const controller = new AbortController();
    const request = new Request(URL_TEXT, {
      method: "POST",
      body: "x",
      headers: { "x-one": "1" },
      redirect: "manual",
      signal: controller.signal,
    });

    const out = await outgoingRequest(request);

    expect(out).toMatchObject({ method: "POST", redirect: "manual" });
    expect(out.url.href).toBe(URL_TEXT);
    expect(new TextDecoder().decode(out.body as Uint8Array)).toBe("x");
    expect(out.headers["x-one"]).toBe("1");
    controller.abort();
    expect(out.signal?.aborted).toBe(true);
  });

  it.each([
    ["a body on GET", URL_TEXT, { body: "x" }, /GET request cannot have a body/],
    ["a body on HEAD", URL_TEXT, { method: "HEAD", body: "x" }, /HEAD request/],
    ["a file: URL", "file:///etc/passwd", {}, /unsupported URL scheme "file:"/],
    ["credentials in the URL", "https://u:secret@api.github.com/", {}, /includes credentials/],
    ["a malformed header pair", URL_TEXT, { headers: [["x"]] }, /\[name, value\]/],
    [
      "a Blob body",
      URL_TEXT,
      { method: "POST", body: new Blob(["x"]) },
      /unsupported request body/,
    ],
  ])("throws a TypeError for %s", async (_, url, init, message) => {
    const error = await outgoingRequest(url, init as RequestInit).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(TypeError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain("secret");
  });
});

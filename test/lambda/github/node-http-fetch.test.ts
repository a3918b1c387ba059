import type { LookupFunction } from "node:net";
import { inspect } from "node:util";
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createNodeHttpFetch } from "../../../lambda/github/node-http-fetch.js";
import {
  DEFAULT_GITHUB_TOKEN,
  type GitHubRoute,
  GitHubStandIn,
} from "../../support/github-stand-in.js";
import { rejectionOf } from "../../support/rejection-of.js";
import { closedPortUrl } from "./closed-port.js";
import { CountingHttpAgent, CountingHttpsAgent } from "./counting-agent.js";
import { RawAnswerServer } from "./raw-answer-server.js";
import { selfSignedCertificate } from "./self-signed-certificate.js";

const DISPATCH = "/repos/acme/api/actions/workflows/nightly.yml/dispatches";
const AUTH = { authorization: `Bearer ${DEFAULT_GITHUB_TOKEN}` };
const BODY = JSON.stringify({ ref: "main", return_run_details: true });
const JSON_POST = {
  method: "POST",
  headers: { ...AUTH, "content-type": "application/json" },
  body: BODY,
};

function causeOf(error: unknown): { code?: string; message?: string } {
  return ((error as { cause?: unknown }).cause ?? {}) as { code?: string; message?: string };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * `/redirect/<status>?to=<path or URL>` answers `status` with that location (default `/plain`),
 * `/loop` redirects to itself, `/plain` answers 200 with the method it got.
 */
const redirects: GitHubRoute = {
  answer(method, pathAndQuery, baseUrl) {
    const url = new URL(pathAndQuery, baseUrl);
    const match = /^\/redirect\/(\d{3})$/.exec(url.pathname);
    if (match) {
      const location = url.searchParams.get("to") ?? "/plain";
      return { status: Number(match[1]), body: undefined, headers: { location } };
    }
    if (url.pathname === "/loop")
      return { status: 307, body: undefined, headers: { location: "/loop" } };
    if (url.pathname === "/plain") return { status: 200, body: { method } };
    return undefined;
  },
};

describe("createNodeHttpFetch", () => {
  let gitHub: GitHubStandIn;

  beforeEach(async () => {
    gitHub = await GitHubStandIn.start({ routes: [redirects] });
  });
  afterEach(() => gitHub.close());

  describe("requests and answers", () => {
    it("posts the method, headers and string body and resolves with a real Response", async () => {
      const response = await createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, JSON_POST);

      expect(response).toBeInstanceOf(Response);
      expect(response).toMatchObject({ status: 200, ok: true, redirected: false });
      expect(response.url).toBe(`${gitHub.url}${DISPATCH}`);
      expect(response.headers.get("x-ratelimit-limit")).toBe("5000");
      expect(await response.json()).toMatchObject({ workflow_run_id: expect.any(Number) });
      const [request] = gitHub.requests;
      expect(request).toMatchObject({ method: "POST", path: DISPATCH });
      expect(request?.body).toEqual({ ref: "main", return_run_details: true });
      expect(request?.headers).toMatchObject({
        ...AUTH,
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(BODY)),
      });
    });

    it("sends fetch's defaults: text/plain for a bare string body, accept */*, gzip, upper-case method", async () => {
      await createNodeHttpFetch()(`${gitHub.url}/plain`, { method: "post", body: "hello" });

      expect(gitHub.requests[0]).toMatchObject({ method: "POST", body: "hello" });
      expect(gitHub.requests[0]?.headers).toMatchObject({
        "content-type": "text/plain;charset=UTF-8",
        accept: "*/*",
        "accept-encoding": "gzip, deflate",
      });
    });

    it("strips the whitespace around header values, so a token read with its newline still works", async () => {
      const response = await createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, {
        ...JSON_POST,
        headers: { authorization: `Bearer ${DEFAULT_GITHUB_TOKEN}\n` },
      });

      expect(response.status).toBe(200);
      expect(gitHub.requests[0]?.headers.authorization).toBe(AUTH.authorization);
    });

    it.each([
      ["a Headers object", new Headers(AUTH)],
      ["name-value pairs", [["Authorization", AUTH.authorization]]],
    ])("takes headers as %s", async (_, headers) => {
      const response = await createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, {
        method: "POST",
        headers,
        body: BODY,
      });

      expect(response.status).toBe(200);
    });

    it("takes a Request, body included", async () => {
      const request = new Request(`${gitHub.url}${DISPATCH}`, JSON_POST);

      const response = await createNodeHttpFetch()(request);

      expect(response.status).toBe(200);
      expect(gitHub.requests[0]?.body).toEqual({ ref: "main", return_run_details: true });
    });

    it("answers a 204 with a null body", async () => {
      gitHub.script({ status: 204 });

      const response = await createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, JSON_POST);

      expect(response.status).toBe(204);
      expect(response.body).toBeNull();
      expect(await response.text()).toBe("");
    });

    it("resolves with GitHub's error answers, as fetch does", async () => {
      gitHub.script({ status: 404 });

      const response = await createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, JSON_POST);

      expect(response).toMatchObject({ status: 404, ok: false });
      expect(await response.json()).toMatchObject({ message: "Not Found" });
    });

    it.each([
      ["gzip", gzipSync],
      ["deflate", deflateSync],
      ["br", brotliCompressSync],
    ])("decodes a %s-encoded answer", async (encoding, compress) => {
      const server = await RawAnswerServer.start(() => ({
        status: 200,
        headers: { "content-type": "application/json", "content-encoding": encoding },
        body: compress(Buffer.from('{"ok":true}')),
      }));
      try {
        const response = await createNodeHttpFetch()(`${server.url}/`);
        expect(await response.json()).toEqual({ ok: true });
      } finally {
        await server.close();
      }
    });

    it("reaches an IPv6 literal host", async (context) => {
      const server = await RawAnswerServer.start(
        () => ({ status: 200, body: "six" }),
        undefined,
        "::1",
      ).catch(() => undefined);
      if (server === undefined) return context.skip("no IPv6 loopback on this machine");
      try {
        const response = await createNodeHttpFetch()(`${server.url}/path?q=1`);
        expect(await response.text()).toBe("six");
        expect(server.requests[0]).toMatchObject({ url: "/path?q=1" });
        expect(server.requests[0]?.headers.host).toBe(new URL(server.url).host);
      } finally {
        await server.close();
      }
    });
  });

  describe("connections", () => {
    it("keeps one connection alive across requests", async () => {
      const agent = new CountingHttpAgent();
      const fetch = createNodeHttpFetch({ http: agent });

      for (let i = 0; i < 3; i++) {
        expect((await fetch(`${gitHub.url}${DISPATCH}`, JSON_POST)).status).toBe(200);
      }

      expect(agent.connections).toBe(1);
    });

    it("opens a new connection when the pooled one idled longer than idleSocketMs", async () => {
      const agent = new CountingHttpAgent();
      const fetch = createNodeHttpFetch({ http: agent, idleSocketMs: 50 });

      await fetch(`${gitHub.url}${DISPATCH}`, JSON_POST);
      await sleep(120);
      const second = await fetch(`${gitHub.url}${DISPATCH}`, JSON_POST);

      expect(second.status).toBe(200);
      expect(agent.connections).toBe(2);
    });

    it("stops reusing a connection a second before the server's Keep-Alive timeout", async () => {
      gitHub.script({ status: 200, headers: { "keep-alive": "timeout=2" } });
      const agent = new CountingHttpAgent();
      const fetch = createNodeHttpFetch({ http: agent });

      await fetch(`${gitHub.url}${DISPATCH}`, JSON_POST);
      await sleep(1_100);
      await fetch(`${gitHub.url}${DISPATCH}`, JSON_POST);

      expect(agent.connections).toBe(2);
    });

    it("answers the next request on a fresh connection after a timed-out one", async () => {
      gitHub.script({ status: 204, fault: "hang" });
      const agent = new CountingHttpAgent();
      const fetch = createNodeHttpFetch({ http: agent, timeoutMs: 100 });

      await rejectionOf(fetch(`${gitHub.url}${DISPATCH}`, JSON_POST));
      const next = await fetch(`${gitHub.url}${DISPATCH}`, JSON_POST);

      expect(next.status).toBe(200);
      expect(agent.connections).toBe(2);
    });
  });

  describe("failures", () => {
    it("fails a reset connection as undici does: TypeError fetch failed, cause ECONNRESET", async () => {
      gitHub.script({ status: 200, fault: "reset" });

      const error = await rejectionOf(createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, JSON_POST));

      expect(error).toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ message: "fetch failed" });
      expect(causeOf(error).code).toBe("ECONNRESET");
    });

    it("fails a refused connection with cause ECONNREFUSED", async () => {
      const error = await rejectionOf(createNodeHttpFetch()(`${await closedPortUrl()}/`));

      expect(error).toBeInstanceOf(TypeError);
      expect(causeOf(error).code).toBe("ECONNREFUSED");
    });

    it.each(["ENOTFOUND", "EAI_AGAIN"])(
      "fails a DNS lookup failure with cause %s",
      async (code) => {
        const lookup: LookupFunction = (hostname, _options, callback) =>
          callback(Object.assign(new Error(`getaddrinfo ${code} ${hostname}`), { code }), "", 4);
        const fetch = createNodeHttpFetch({ http: new CountingHttpAgent({ lookup }) });

        const error = await rejectionOf(fetch("http://api.github.invalid/"));

        expect(error).toBeInstanceOf(TypeError);
        expect(causeOf(error).code).toBe(code);
      },
    );

    it("fails with the TimeoutError of AbortSignal.timeout once timeoutMs passes without an answer", async () => {
      gitHub.script({ status: 204, fault: "hang" });
      const started = Date.now();

      const error = await rejectionOf(
        createNodeHttpFetch({ timeoutMs: 100 })(`${gitHub.url}${DISPATCH}`, JSON_POST),
      );

      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(DOMException);
      expect(error).toMatchObject({ name: "TimeoutError" });
    });

    it("fails with the signal's reason when the caller's signal aborts, as fetch does", async () => {
      gitHub.script({ status: 204, fault: "hang" });
      const signal = AbortSignal.timeout(100);

      const error = await rejectionOf(
        createNodeHttpFetch({ timeoutMs: 60_000 })(`${gitHub.url}${DISPATCH}`, {
          ...JSON_POST,
          signal,
        }),
      );

      expect(error).toBe(signal.reason);
      expect(error).toMatchObject({ name: "TimeoutError" });
    });

    it.each([
      ["cut", TypeError, /terminated/],
      ["hang", DOMException, /timeout/],
    ] as const)(
      "resolves at the head and fails the body read when the body is %s short, as undici does",
      async (partial, type, message) => {
        const server = await RawAnswerServer.start(() => ({
          status: 200,
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ workflow_run_id: 1, html_url: "https://github.com/acme/api" }),
          partial,
        }));
        try {
          const response = await createNodeHttpFetch({ timeoutMs: 150 })(`${server.url}/`);

          expect(response.status).toBe(200);
          const error = await rejectionOf(response.text());
          expect(error).toBeInstanceOf(type);
          expect((error as Error).message).toMatch(message);
        } finally {
          await server.close();
        }
      },
    );

    it("fails at once, sending nothing, when the signal has already aborted", async () => {
      const controller = new AbortController();
      const reason = new Error("stop");
      controller.abort(reason);

      const error = await rejectionOf(
        createNodeHttpFetch()(`${gitHub.url}${DISPATCH}`, {
          ...JSON_POST,
          signal: controller.signal,
        }),
      );

      expect(error).toBe(reason);
      expect(gitHub.requests).toHaveLength(0);
    });

    it.each([
      ["a GET with a body", (url: string) => [url, { body: "x" }] as const],
      ["a URL that is not http(s)", () => ["ftp://127.0.0.1/", {}] as const],
      ["a URL with credentials", () => ["http://user:pw@127.0.0.1/", {}] as const],
      [
        "a stream body",
        (url: string) => [url, { method: "POST", body: new Blob(["x"]).stream() }] as const,
      ],
    ])("fails %s with a TypeError, sending nothing", async (_, args) => {
      const [url, init] = args(`${gitHub.url}/plain`);

      const error = await rejectionOf(createNodeHttpFetch()(url, init));

      expect(error).toBeInstanceOf(TypeError);
      expect(gitHub.requests).toHaveLength(0);
    });

    it.each([
      ["an invalid header value", (url: string) => url, { "x-extra": "a\r\nb" }],
      ["a reset", (url: string) => url, {}],
      ["a refused connection", () => closedPortUrl(), {}],
      ["a timeout", (url: string) => url, {}],
    ])("fails %s without any header value in the error", async (kind, target, extra) => {
      if (kind === "a reset") gitHub.script({ status: 200, fault: "reset" });
      if (kind === "a timeout") gitHub.script({ status: 200, fault: "hang" });
      const url = `${await target(gitHub.url)}${DISPATCH}`;

      const error = await rejectionOf(
        createNodeHttpFetch({ timeoutMs: 100 })(url, {
          ...JSON_POST,
          headers: { ...JSON_POST.headers, ...extra },
        }),
      );

      const seen = `${inspect(error, { depth: 10, showHidden: true })} ${JSON.stringify(error)}`;
      expect(seen).not.toContain(DEFAULT_GITHUB_TOKEN);
      expect(seen).not.toContain("a\r\nb");
    });
  });

  describe("redirects", () => {
    it("repeats a POST with its body and credentials at the location of a 307", async () => {
      const to = encodeURIComponent(DISPATCH);

      const response = await createNodeHttpFetch()(
        `${gitHub.url}/redirect/307?to=${to}`,
        JSON_POST,
      );

      expect(response).toMatchObject({ status: 200, redirected: true });
      expect(response.url).toBe(`${gitHub.url}${DISPATCH}`);
      const [, repeated] = gitHub.requests;
      expect(repeated).toMatchObject({ method: "POST", path: DISPATCH, body: JSON.parse(BODY) });
      expect(repeated?.headers.authorization).toBe(AUTH.authorization);
    });

    it.each([301, 302, 303])("turns a POST into a GET without a body on a %i", async (status) => {
      const response = await createNodeHttpFetch()(`${gitHub.url}/redirect/${status}`, JSON_POST);

      expect(await response.json()).toEqual({ method: "GET" });
      const [, followed] = gitHub.requests;
      expect(followed).toMatchObject({ method: "GET", path: "/plain", body: undefined });
      expect(followed?.headers["content-type"]).toBeUndefined();
      expect(followed?.headers["content-length"]).toBeUndefined();
    });

    it("drops the Authorization header when a redirect leaves the origin", async () => {
      const other = await GitHubStandIn.start();
      try {
        const to = encodeURIComponent(`${other.url}${DISPATCH}`);

        const response = await createNodeHttpFetch()(
          `${gitHub.url}/redirect/307?to=${to}`,
          JSON_POST,
        );

        expect(response.status).toBe(401);
        expect(other.requests[0]?.headers.authorization).toBeUndefined();
      } finally {
        await other.close();
      }
    });

    it("hands back the redirect itself with redirect: manual", async () => {
      const response = await createNodeHttpFetch()(`${gitHub.url}/redirect/307`, {
        ...JSON_POST,
        redirect: "manual",
      });

      expect(response.status).toBe(307);
      expect(response.headers.get("location")).toBe("/plain");
      expect(gitHub.requests).toHaveLength(1);
    });

    it("fails a redirect with redirect: error", async () => {
      const error = await rejectionOf(
        createNodeHttpFetch()(`${gitHub.url}/redirect/307`, { ...JSON_POST, redirect: "error" }),
      );

      expect(error).toBeInstanceOf(TypeError);
      expect(causeOf(error).message).toBe("unexpected redirect");
    });

    it("fails after following 20 redirects", async () => {
      const error = await rejectionOf(createNodeHttpFetch()(`${gitHub.url}/loop`, JSON_POST));

      expect(error).toBeInstanceOf(TypeError);
      expect(causeOf(error).message).toBe("redirect count exceeded");
      expect(gitHub.requests).toHaveLength(21);
    });
  });
});

const certificate = selfSignedCertificate();

describe.skipIf(certificate === undefined)("createNodeHttpFetch over https", () => {
  let server: RawAnswerServer;

  beforeEach(async () => {
    server = await RawAnswerServer.start(
      () => ({ status: 200, headers: { "content-type": "application/json" }, body: "{}" }),
      certificate,
    );
  });
  afterEach(() => server.close());

  it("talks TLS, over one kept-alive connection, to a server whose CA the agent trusts", async () => {
    const agent = new CountingHttpsAgent({ ca: certificate?.cert });
    const fetch = createNodeHttpFetch({ https: agent });

    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${server.url}/api/v3${DISPATCH}`, JSON_POST);
      expect(await response.json()).toEqual({});
    }

    expect(agent.connections).toBe(1);
    expect(server.requests[0]).toMatchObject({ method: "POST", body: BODY });
  });

  it("fails a certificate the system does not trust, with its TLS code", async () => {
    const error = await rejectionOf(createNodeHttpFetch()(`${server.url}/`));

    expect(error).toBeInstanceOf(TypeError);
    expect(causeOf(error).code).toMatch(/SELF_SIGNED/);
    expect(server.requests).toHaveLength(0);
  });
});

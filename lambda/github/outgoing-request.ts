type HeadersInit = NonNullable<RequestInit["headers"]>;
type BodyInit = RequestInit["body"];
type RequestRedirect = NonNullable<RequestInit["redirect"]>;

/** One request as {@link createNodeHttpFetch} sends it: lower-case header names, a sendable body. */
export interface OutgoingRequest {
  url: URL;
  /** Upper case for the standard methods, as fetch normalizes them. */
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  redirect: RequestRedirect;
  signal: AbortSignal | undefined;
}

const STANDARD_METHODS = new Set(["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT"]);

/** Headers removed when a redirect turns the request into a GET without a body. */
export const BODY_HEADERS = [
  "content-type",
  "content-length",
  "content-encoding",
  "content-language",
  "content-location",
] as const;

function isHttpWhitespace(code: number | undefined): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;
}

/** Strips leading and trailing HTTP whitespace, as fetch normalizes header values (a token read with its newline still works). */
function normalizeValue(value: string): string {
  if (
    !isHttpWhitespace(value.charCodeAt(0)) &&
    !isHttpWhitespace(value.charCodeAt(value.length - 1))
  )
    return value;
  return value.replace(/^[\t\n\r ]+|[\t\n\r ]+$/g, "");
}

function addHeader(out: Record<string, string>, name: string, raw: string | readonly string[]) {
  const key = name.toLowerCase();
  const value = normalizeValue(typeof raw === "string" ? raw : raw.join(", "));
  const earlier = out[key];
  out[key] = earlier === undefined ? value : `${earlier}, ${value}`;
}

function headerRecord(init: HeadersInit | undefined): Record<string, string> {
  // No prototype: a header named "constructor" must not find Object's.
  const out: Record<string, string> = Object.create(null);
  if (init === undefined) return out;
  if (init instanceof Headers) {
    for (const [name, value] of init) addHeader(out, name, value);
  } else if (Array.isArray(init)) {
    for (const pair of init as readonly (readonly string[])[]) {
      const [name, value] = pair;
      if (pair.length !== 2 || name === undefined || value === undefined) {
        throw new TypeError("fetch: each header pair must be [name, value]");
      }
      addHeader(out, name, value);
    }
  } else {
    const record = init as Record<string, string | readonly string[]>;
    for (const name of Object.keys(record)) {
      const value = record[name];
      addHeader(out, name, Array.isArray(value) ? value : String(value));
    }
  }
  return out;
}

function sendableBody(
  body: BodyInit,
  headers: Record<string, string>,
): string | Uint8Array | undefined {
  if (body === null || body === undefined) return undefined;
  if (typeof body === "string") {
    headers["content-type"] ??= "text/plain;charset=UTF-8";
    return body;
  }
  if (body instanceof URLSearchParams) {
    headers["content-type"] ??= "application/x-www-form-urlencoded;charset=UTF-8";
    return body.toString();
  }
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body))
    return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(
    `fetch: unsupported request body (${Object.prototype.toString.call(body)}); send a string, bytes or URLSearchParams`,
  );
}

/**
 * Reads fetch's arguments into an {@link OutgoingRequest}. Throws a TypeError, as fetch rejects, for
 * what cannot be sent: a URL that is not http(s) or carries credentials, a body on GET or HEAD, a
 * body type other than string, bytes or URLSearchParams. Messages never quote a header value.
 */
export async function outgoingRequest(
  input: string | URL | Request,
  init: RequestInit = {},
): Promise<OutgoingRequest> {
  const from = input instanceof Request ? input : undefined;
  const url = new URL(from ? from.url : input);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`fetch: unsupported URL scheme "${url.protocol}"; use http: or https:`);
  }
  if (url.username !== "" || url.password !== "") {
    throw new TypeError("fetch: the URL includes credentials; send them in a header instead");
  }
  const rawMethod = init.method ?? from?.method ?? "GET";
  const upper = rawMethod.toUpperCase();
  const method = STANDARD_METHODS.has(upper) ? upper : rawMethod;
  const headers = headerRecord(init.headers ?? from?.headers);
  let body: string | Uint8Array | undefined;
  if (init.body !== undefined) body = sendableBody(init.body, headers);
  else if (from?.body) body = new Uint8Array(await from.arrayBuffer());
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    throw new TypeError(`fetch: a ${method} request cannot have a body`);
  }
  headers.accept ??= "*/*";
  // As Node's fetch asks: GitHub then compresses large answers (repository listings); decoded on arrival.
  headers["accept-encoding"] ??= "gzip, deflate";
  return {
    url,
    method,
    headers,
    body,
    redirect: init.redirect ?? from?.redirect ?? "follow",
    signal: init.signal ?? from?.signal ?? undefined,
  };
}

import { BODY_HEADERS, type OutgoingRequest } from "./outgoing-request.js";

/** Statuses whose `Location` fetch follows. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/** Dropped when a redirect leaves the origin, as fetch does. */
const CREDENTIAL_HEADERS = ["authorization", "cookie", "proxy-authorization"] as const;

/**
 * The request a redirect answer leads to, as fetch's "follow" mode builds it: 307 and 308 repeat
 * the method and body (GitHub's answer for a POST to a renamed repository); 303, and 301/302 after
 * a POST, become a GET without body; credentials are dropped when the origin changes.
 * Throws for a location that is not http(s).
 */
export function redirectRequest(
  out: OutgoingRequest,
  status: number,
  location: string,
): OutgoingRequest {
  const url = new URL(location, out.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`redirect to an unsupported URL scheme "${url.protocol}"`);
  }
  const headers = { ...out.headers };
  let { method, body } = out;
  if (
    (status === 303 && method !== "GET" && method !== "HEAD") ||
    ((status === 301 || status === 302) && method === "POST")
  ) {
    method = "GET";
    body = undefined;
    for (const name of BODY_HEADERS) delete headers[name];
  }
  if (url.origin !== out.url.origin) for (const name of CREDENTIAL_HEADERS) delete headers[name];
  return { ...out, url, method, headers, body };
}

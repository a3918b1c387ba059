import { createPublicKey, verify } from "node:crypto";
import { isRecord } from "./stand-in-server.js";

/** The GitHub App the stand-in impersonates. */
export interface GitHubAppIdentity {
  /** The App id: the JWT's `iss` must equal it. */
  appId: number;
  /** The only installation tokens can be minted for. */
  installationId: number;
  /** PEM public key matching the private key the client signs with. */
  publicKeyPem: string;
  /** Lifetime of minted installation tokens. @default 3600 */
  tokenTtlSeconds?: number;
}

/** Outcome of checking an App JWT: `ok`, or GitHub's 401 message. */
export type JwtCheck = { ok: true } | { ok: false; message: string };

/** GitHub refuses App JWTs that live longer than ten minutes (plus some clock drift). */
const MAX_LIFETIME_SECONDS = 600 + 60;

function decodeSegment(segment: string): unknown {
  try {
    return JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as unknown;
  } catch {
    return undefined;
  }
}

/**
 * Verifies an App JWT as GitHub does: RS256 signed by the App's key, `iss` the App id,
 * `iat` not in the future, `exp` in the future and at most ten minutes after `iat`.
 */
export function verifyAppJwt(jwt: string, app: GitHubAppIdentity, nowMs: number): JwtCheck {
  const undecodable: JwtCheck = { ok: false, message: "A JSON web token could not be decoded" };
  const parts = jwt.split(".");
  if (parts.length !== 3) return undecodable;
  const [headerPart = "", payloadPart = "", signaturePart = ""] = parts;
  const header = decodeSegment(headerPart);
  const payload = decodeSegment(payloadPart);
  if (!isRecord(header) || !isRecord(payload) || header.alg !== "RS256") return undecodable;

  const signed = Buffer.from(`${headerPart}.${payloadPart}`);
  const signature = Buffer.from(signaturePart, "base64url");
  let valid = false;
  try {
    valid = verify("sha256", signed, createPublicKey(app.publicKeyPem), signature);
  } catch {
    valid = false;
  }
  if (!valid) return undecodable;

  if (String(payload.iss) !== String(app.appId)) {
    return { ok: false, message: "Integration not found" };
  }
  const now = Math.floor(nowMs / 1000);
  const { iat, exp } = payload;
  if (typeof iat !== "number" || iat > now + 60) {
    return {
      ok: false,
      message:
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
    };
  }
  if (typeof exp !== "number" || exp <= now) {
    return {
      ok: false,
      message:
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
    };
  }
  if (exp - iat > MAX_LIFETIME_SECONDS) {
    return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future." };
  }
  return { ok: true };
}

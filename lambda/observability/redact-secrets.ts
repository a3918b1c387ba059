const PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]+/g,
  /\b(bearer|token)\s+[A-Za-z0-9_.\-~+/]{16,}=*/gi,
];

/**
 * Defence in depth for text that leaves the function (log fields, dead-letter reasons): masks anything
 * shaped like a GitHub token, an Authorization value or a PEM private key. Reasons are built from
 * GitHub's and AWS's messages, which should never hold one; this makes sure.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const pattern of PATTERNS) out = out.replace(pattern, "[REDACTED]");
  return out;
}

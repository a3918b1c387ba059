import { createHash } from "node:crypto";

/**
 * The name pacing uses for one token: a hash of the Secrets Manager secret id that holds it, never the
 * token itself, so ledgers, logs and metrics can name it safely. Secrets sharing one token are paced
 * separately; give them one secret. ARNs and names of the same secret are normalised to the name.
 */
export function tokenIdentity(secretId: string): string {
  const name = secretNameOf(secretId);
  return createHash("sha256").update(name).digest("hex").slice(0, 16);
}

/** `arn:aws:secretsmanager:REGION:ACCOUNT:secret:NAME-AbCdEf` -> `NAME`; a name stays as it is. */
export function secretNameOf(secretId: string): string {
  const arn = /^arn:[^:]+:secretsmanager:[^:]*:[^:]*:secret:(.+?)(?:-[A-Za-z0-9]{6})?$/.exec(
    secretId,
  );
  return arn?.[1] ?? secretId;
}

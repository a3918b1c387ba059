/** What a secret holds: a token to send as is, or GitHub App credentials to mint one from. */
export type GitHubCredentials =
  | { readonly kind: "token"; readonly token: string }
  | {
      readonly kind: "app";
      readonly appId: string;
      readonly privateKey: string;
      readonly installationId: number;
    };

/** The secret's value cannot be used; the message describes its shape, never its content. */
export class UnusableSecretError extends Error {
  override readonly name = "UnusableSecretError";
}

const APP_FIELDS = "appId, privateKey and installationId";

function parseAppSecret(value: Record<string, unknown>): GitHubCredentials {
  const { appId, privateKey, installationId } = value;
  const missing = [
    typeof appId === "number" || (typeof appId === "string" && /^\d+$/.test(appId)) ? "" : "appId",
    typeof privateKey === "string" && privateKey.includes("PRIVATE KEY") ? "" : "privateKey",
    Number.isInteger(Number(installationId)) && Number(installationId) > 0 ? "" : "installationId",
  ].filter(Boolean);
  if (missing.length > 0) {
    throw new UnusableSecretError(
      `GitHub App JSON needs ${APP_FIELDS}; ${missing.join(", ")} missing or malformed (appId and installationId are numbers, privateKey the PEM text)`,
    );
  }
  return {
    kind: "app",
    appId: String(appId),
    // Keys pasted into a JSON console often arrive with literal "\n" sequences.
    privateKey: (privateKey as string).replace(/\\n/g, "\n"),
    installationId: Number(installationId),
  };
}

function parseJsonSecret(text: string): GitHubCredentials {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UnusableSecretError("the value starts like JSON but does not parse as JSON");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new UnusableSecretError("the JSON value is not an object");
  }
  const fields = value as Record<string, unknown>;
  if ("token" in fields) {
    if (
      typeof fields.token !== "string" ||
      fields.token.trim() === "" ||
      /\s/.test(fields.token.trim())
    ) {
      throw new UnusableSecretError('JSON field "token" must be a non-empty string without spaces');
    }
    return { kind: "token", token: fields.token.trim() };
  }
  if ("appId" in fields || "privateKey" in fields || "installationId" in fields) {
    return parseAppSecret(fields);
  }
  const keys = Object.keys(fields).map((k) => JSON.stringify(k.slice(0, 40)));
  throw new UnusableSecretError(
    `the JSON object has fields ${keys.join(", ") || "(none)"} but needs "token" or ${APP_FIELDS}`,
  );
}

/**
 * Reads a secret value: a bare token, JSON `{"token"}`, or GitHub App JSON `{appId, privateKey,
 * installationId}`. Pure. Throws {@link UnusableSecretError} whose message never quotes the value.
 */
export function parseSecret(secretString: string | undefined): GitHubCredentials {
  if (secretString === undefined) {
    throw new UnusableSecretError("it has no SecretString (binary secrets are not supported)");
  }
  const text = secretString.trim();
  if (text === "") throw new UnusableSecretError("the value is empty");
  if (text.startsWith("{") || text.startsWith("[")) return parseJsonSecret(text);
  if (text.includes("PRIVATE KEY")) {
    throw new UnusableSecretError(
      `it holds a bare private key; store GitHub App JSON with ${APP_FIELDS}`,
    );
  }
  if (/\s/.test(text)) {
    throw new UnusableSecretError("a bare token must be one word without spaces or line breaks");
  }
  return { kind: "token", token: text };
}

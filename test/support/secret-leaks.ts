/** One place where a secret showed up. */
export interface SecretLeak {
  /** Index of the offending line. */
  line: number;
  /** What leaked, without the secret itself: `secret #1`, `private key`, `authorization header` ... */
  kind: string;
  /** The line with every leaked value replaced by a marker, safe to print. */
  redacted: string;
}

/** Options of {@link findSecretLeaks}. */
export interface SecretLeakOptions {
  /**
   * Also flag anything shaped like a GitHub token (`ghp_…`, `ghs_…`, `github_pat_…`) or a JWT,
   * whether or not it is in the list. @default true
   */
  tokenPatterns?: boolean;
}

const PATTERNS: { kind: string; pattern: RegExp }[] = [
  { kind: "private key", pattern: /-----(BEGIN|END) [A-Z ]*PRIVATE KEY-----/g },
  {
    kind: "authorization header",
    pattern: /authorization["']?\s*[:=]\s*["']?\s*(token|bearer|basic)\s+[^\s"',}\]]+/gi,
  },
];
const TOKEN_PATTERNS: { kind: string; pattern: RegExp }[] = [
  {
    kind: "GitHub token",
    pattern: /\b(gh[pousr]_[A-Za-z0-9_]{16,}|github_pat_[A-Za-z0-9_]{22,})/g,
  },
  { kind: "JWT", pattern: /eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]*/g },
];

/** Forms a secret can take in a log line: as is, JSON-escaped, and each long line of a multi-line value. */
function formsOf(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1)]);
  for (const part of secret.split(/\r?\n/)) {
    if (part.length >= 16 && !part.startsWith("-----")) forms.add(part.trim());
  }
  return [...forms].filter((form) => form.length >= 4);
}

/** Every leak of `secrets` (and of token-shaped strings, private keys and Authorization values) in `lines`. */
export function findSecretLeaks(
  lines: string | string[],
  secrets: string[],
  options: SecretLeakOptions = {},
): SecretLeak[] {
  const all = typeof lines === "string" ? lines.split("\n") : lines;
  const patterns = [...PATTERNS, ...(options.tokenPatterns === false ? [] : TOKEN_PATTERNS)];
  const leaks: SecretLeak[] = [];
  all.forEach((original, index) => {
    let redacted = original;
    const kinds: string[] = [];
    secrets.forEach((secret, secretIndex) => {
      for (const form of formsOf(secret)) {
        if (!redacted.includes(form)) continue;
        redacted = redacted.split(form).join(`[SECRET #${secretIndex + 1}]`);
        kinds.push(`secret #${secretIndex + 1}`);
      }
    });
    for (const { kind, pattern } of patterns) {
      const replaced = redacted.replace(pattern, `[${kind.toUpperCase()}]`);
      if (replaced !== redacted) kinds.push(kind);
      redacted = replaced;
    }
    for (const kind of new Set(kinds)) leaks.push({ line: index, kind, redacted });
  });
  return leaks;
}

/**
 * Throws when any line contains one of `secrets` (also JSON-escaped, or one line of a PEM key),
 * a private-key marker, an `authorization: token|bearer|basic …` value, or (unless disabled) a
 * GitHub-token- or JWT-shaped string. The error shows the offending lines with every leak masked.
 */
export function expectNoSecrets(
  lines: string | string[],
  secrets: string[],
  options: SecretLeakOptions = {},
): void {
  const leaks = findSecretLeaks(lines, secrets, options);
  if (leaks.length === 0) return;
  const report = leaks
    .map((leak) => `  line ${leak.line}: ${leak.kind}: ${leak.redacted.slice(0, 300)}`)
    .join("\n");
  throw new Error(`output leaks ${leaks.length} secret(s):\n${report}`);
}

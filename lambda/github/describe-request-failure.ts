/** What a failed GitHub request tells: status, rate-limit headers, GitHub's message, network error kind. */
export interface RequestFailure {
  /** HTTP status; 0 when GitHub never answered (network failure, timeout). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly message: string;
  /** Network error code (`ECONNREFUSED`, `UND_ERR_SOCKET`...) or `TimeoutError` when there was no answer. */
  readonly errorKind: string | undefined;
  /** GitHub's `x-github-request-id`, for support requests. */
  readonly requestId: string | undefined;
}

interface ResponseLike {
  status?: unknown;
  headers?: Record<string, unknown>;
  data?: unknown;
}

function networkKind(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === "object" && current !== null; depth++) {
    const { code, name } = current as { code?: unknown; name?: unknown };
    if (name === "TimeoutError" || name === "AbortError") return "TimeoutError";
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function stringHeaders(headers: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (typeof value === "string" || typeof value === "number")
      out[key.toLowerCase()] = String(value);
  }
  return out;
}

/**
 * Reads the facts of an Octokit failure without keeping the error: Octokit's `RequestError` carries
 * the request, headers included, so only these fields may travel on to logs and reasons.
 */
export function describeRequestFailure(error: unknown): RequestFailure {
  const response =
    typeof error === "object" && error !== null && "response" in error
      ? ((error as { response?: ResponseLike }).response ?? undefined)
      : undefined;
  if (response !== undefined && typeof response.status === "number") {
    const headers = stringHeaders(response.headers);
    const data = response.data;
    const message =
      typeof data === "object" &&
      data !== null &&
      typeof (data as { message?: unknown }).message === "string"
        ? (data as { message: string }).message
        : typeof data === "string"
          ? data.slice(0, 300)
          : "";
    return {
      status: response.status,
      headers,
      message,
      errorKind: undefined,
      requestId: headers["x-github-request-id"],
    };
  }
  const kind = networkKind(error) ?? "NetworkError";
  const message = error instanceof Error ? error.message : String(error);
  return { status: 0, headers: {}, message, errorKind: kind, requestId: undefined };
}

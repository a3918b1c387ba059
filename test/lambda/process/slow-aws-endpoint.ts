import { type StandInServer, sendJson, startStandInServer } from "../../support/stand-in-server.js";

/** How a {@link SlowAwsEndpoint} answers. */
export interface SlowAnswer {
  /** Milliseconds before the answer. */
  readonly delayMs: number;
  /** The JSON body of the answer to the operation named by `X-Amz-Target`. */
  readonly body: (target: string) => unknown;
}

/**
 * A bare AWS JSON-protocol endpoint on 127.0.0.1 for the real SDK clients: it records each request's
 * `X-Amz-Target` and answers after a delay, or never (without an answer), as a hung service does.
 */
export class SlowAwsEndpoint {
  /** `X-Amz-Target` of every request received, in order. */
  readonly targets: string[] = [];

  private constructor(private readonly server: StandInServer) {}

  /** Starts the endpoint; without `answer` it never answers. */
  static async start(answer?: SlowAnswer): Promise<SlowAwsEndpoint> {
    let endpoint: SlowAwsEndpoint | undefined;
    const server = await startStandInServer((request, _body, response) => {
      const target = String(request.headers["x-amz-target"] ?? "");
      endpoint?.targets.push(target);
      if (answer === undefined) return;
      server.later(answer.delayMs, () =>
        sendJson(response, 200, answer.body(target), {}, "application/x-amz-json-1.1"),
      );
    });
    endpoint = new SlowAwsEndpoint(server);
    return endpoint;
  }

  /** `http://127.0.0.1:PORT`. */
  get url(): string {
    return this.server.url;
  }

  /** Stops listening and drops every hung connection. */
  close(): Promise<void> {
    return this.server.close();
  }
}

import http from "node:http";
import https from "node:https";
import type { Duplex } from "node:stream";

/** A keep-alive `http.Agent` that counts the connections it opens. */
export class CountingHttpAgent extends http.Agent {
  connections = 0;

  constructor(options: http.AgentOptions = {}) {
    super({ keepAlive: true, ...options });
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    this.connections += 1;
    return super.createConnection(options, callback);
  }
}

/** A keep-alive `https.Agent` that counts the connections it opens. */
export class CountingHttpsAgent extends https.Agent {
  connections = 0;

  constructor(options: https.AgentOptions = {}) {
    super({ keepAlive: true, ...options });
  }

  override createConnection(
    options: http.ClientRequestArgs,
    callback?: (error: Error | null, socket: Duplex) => void,
  ): Duplex | null | undefined {
    this.connections += 1;
    return super.createConnection(options, callback);
  }
}

import { once } from "node:events";
import http from "node:http";
import https from "node:https";
import type { Socket } from "node:net";

/** Options of {@link KeepAliveAgents}. */
export interface KeepAliveAgentsOptions {
  /** @default a keep-alive `http.Agent` */
  readonly http?: http.Agent;
  /** @default a keep-alive `https.Agent` (system CAs and `NODE_EXTRA_CA_CERTS`, as Node's fetch) */
  readonly https?: https.Agent;
  /**
   * A pooled connection idle longer than this is closed instead of reused (a `Keep-Alive: timeout=N`
   * answer shortens it to N - 1 s). Checked against the wall clock when a request starts, so it
   * also holds after a Lambda freeze, when no timer could have fired.
   * @default 4000 (undici's default, the pool of Node's built-in fetch)
   */
  readonly idleSocketMs?: number;
}

const KEEP_ALIVE_HINT = /\btimeout=(\d+)/;

/**
 * The connection pools of one fetch: a keep-alive agent per protocol, whose idle connections are
 * reused only while the server will still accept a request on them. A connection the server has
 * already dropped would fail the request with ECONNRESET, which for a POST means "maybe sent".
 */
export class KeepAliveAgents {
  private readonly byProtocol: Readonly<Record<string, http.Agent>>;
  private readonly idleSocketMs: number;
  /** Wall-clock time after which each idle pooled socket must not be reused. */
  private readonly reuseUntil = new WeakMap<Socket, number>();

  constructor(options: KeepAliveAgentsOptions = {}) {
    this.byProtocol = {
      "http:": options.http ?? new http.Agent({ keepAlive: true }),
      "https:": options.https ?? new https.Agent({ keepAlive: true }),
    };
    this.idleSocketMs = options.idleSocketMs ?? 4_000;
  }

  /** The agent for `protocol` (`http:` or `https:`); undefined for any other scheme. */
  agentFor(protocol: string): http.Agent | undefined {
    return this.byProtocol[protocol];
  }

  /**
   * Closes the pooled connections of `agent` that idled past their limit and resolves once the
   * agent has let go of them, so the request that follows opens a fresh one. Synchronous (returns
   * undefined) in the usual case where nothing is stale.
   */
  dropStale(agent: http.Agent): Promise<void> | undefined {
    let closing: Promise<unknown>[] | undefined;
    const now = Date.now();
    for (const name in agent.freeSockets) {
      for (const socket of agent.freeSockets[name] ?? []) {
        if (!socket.destroyed && (this.reuseUntil.get(socket) ?? 0) > now) continue;
        // A destroyed socket stays pooled until its "close"; the agent could still hand it out.
        closing ??= [];
        closing.push(once(socket, "close"));
        socket.destroy();
      }
    }
    return closing && Promise.all(closing).then(() => undefined);
  }

  /** Records that `socket` goes back to its pool now, with the server's `Keep-Alive` answer header. */
  released(socket: Socket, keepAliveHeader: string | undefined): void {
    let limit = this.idleSocketMs;
    const hint = keepAliveHeader === undefined ? undefined : KEEP_ALIVE_HINT.exec(keepAliveHeader);
    if (hint?.[1] !== undefined) limit = Math.min(limit, Number(hint[1]) * 1000 - 1000);
    this.reuseUntil.set(socket, Date.now() + limit);
  }
}

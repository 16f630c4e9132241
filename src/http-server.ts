import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "./core/api.ts";

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;

/** What a platform adapter may add to Docket's one HTTP server on PORT. */
export interface HttpRoutes {
  /** Serves `method path` (the path without its query); the listener answers it. */
  route(method: string, path: string, listener: RequestListener): void;
  /** Takes every request no route serves (Slack's receiver: /slack/events, the install pages); without one, 404. */
  fallback(listener: RequestListener): void;
  /** Adds a fact to /healthz's answer, such as `slack: "http"`. */
  describe(key: string, value: string): void;
  /** The port listened on, once listening (useful with PORT=0). */
  port(): number | undefined;
}

export interface HttpServer extends HttpRoutes {
  listen(): Promise<void>;
  /**
   * Every platform has added its routes: /healthz may answer 200. why: a load balancer sends traffic
   * to a replica once its health check passes, and before this Slack's requests would get 404.
   */
  started(): void;
  /** Stops listening and ends open connections. */
  close(): Promise<void>;
}

export interface HttpServerOptions {
  port: number;
  /** Interface to listen on (default: all). */
  host?: string;
  /** Whether the database answers; /healthz is 200 only when it resolves true. */
  ping: () => Promise<boolean>;
  log: Logger;
  /** How long /healthz waits for `ping` before calling the database unavailable (default 2 s). */
  pingTimeoutMs?: number;
}

/**
 * Docket's one HTTP server on PORT, owned by the composition root: `/healthz`, the routes platforms
 * add (Discord's interactions endpoint) and, for everything else, Slack's receiver. Bodies are not
 * read here: each listener reads its own raw bytes, which signature checks need untouched.
 */
export function createHttpServer(o: HttpServerOptions): HttpServer {
  const routes = new Map<string, RequestListener>();
  const facts: Record<string, string> = {};
  let rest: RequestListener | undefined;
  let ready = false;

  async function health(res: ServerResponse): Promise<void> {
    if (!ready) {
      res.writeHead(503, { "content-type": "application/json", "cache-control": "no-store" });
      res.end(JSON.stringify({ status: "starting" }));
      return;
    }
    let up = false;
    try {
      up = await Promise.race([o.ping(), new Promise<boolean>((resolve) => setTimeout(resolve, o.pingTimeoutMs ?? 2000, false).unref())]);
    } catch (error) {
      o.log.warn("healthz: the database did not answer", { error: error instanceof Error ? error.message : String(error) });
    }
    res.writeHead(up ? 200 : 503, { "content-type": "application/json", "cache-control": "no-store" });
    res.end(JSON.stringify(up ? { status: "ok", ...facts } : { status: "unavailable", database: "not answering" }));
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      void health(res);
      return;
    }
    const listener = routes.get(`${req.method} ${path}`) ?? rest;
    if (listener) {
      listener(req, res);
      return;
    }
    res.writeHead(404, { "content-type": "text/plain" });
    res.end("Not found\n");
  });

  return {
    route(method, path, listener) {
      routes.set(`${method.toUpperCase()} ${path}`, listener);
    },
    fallback(listener) {
      rest = listener;
    },
    started() {
      ready = true;
    },
    describe(key, value) {
      facts[key] = value;
    },
    port() {
      const address = server.address() as AddressInfo | null;
      return address && typeof address === "object" ? address.port : undefined;
    },
    listen() {
      return new Promise((resolve, reject) => {
        server.once("error", reject);
        server.listen(o.port, ...(o.host ? [o.host] : []), () => {
          server.off("error", reject);
          resolve();
        });
      });
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise((resolve) => {
        server.close(() => resolve());
        // why: keep-alive connections (Discord's, a load balancer's) would hold close() open indefinitely.
        server.closeAllConnections();
      });
    },
  };
}

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A STAND-IN for an OCI registry with a token service (Harbor, the CNCF distribution
 * registry with token auth, Docker Hub...), since none runs here: a local HTTP server
 * answering with the shapes the specifications give.
 *
 * - OCI distribution spec, "Listing Tags": `GET /v2/<name>/tags/list` answers
 *   `{"name": "<name>", "tags": [...]}` in lexical order, `pageSize` at a time with
 *   `Link: </v2/<name>/tags/list?n=<n>&last=<tag>>; rel="next"` while more follow, and
 *   404 with the error code `NAME_UNKNOWN` for a repository it does not hold.
 * - Docker registry "Token Authentication Specification": without a token the registry
 *   answers 401 with `WWW-Authenticate: Bearer realm="<token service>",service="<name>",
 *   scope="repository:<name>:pull"`; `GET <realm>?service=&scope=` gives anonymous users
 *   a token (`{"token", "expires_in", "issued_at"}`, or OAuth's `access_token`) holding
 *   only what they may do, pulling public repositories, and a token without pull on the
 *   repository gets 401 again with `error="insufficient_scope"`.
 */
export class OciRegistryStandIn {
  /** Requests received: paths with their queries. */
  readonly requests: string[] = [];
  /** Tags per repository name, e.g. `charts/web-app`. */
  readonly repositories = new Map<string, string[]>();
  /** Repositories anonymous users may pull; the others need credentials. */
  readonly publicRepositories = new Set<string>();
  /** The field the token service puts the token in. */
  tokenField: 'token' | 'access_token' = 'token';
  /** Tags per page of the tag list. */
  pageSize = 100;

  static readonly SERVICE = 'stand-in-registry';
  /** Token → the repositories it may pull. */
  private readonly tokens = new Map<string, Set<string>>();
  private readonly server = http.createServer((req, res) =>
    this.serve(req, res),
  );

  static async start(): Promise<OciRegistryStandIn> {
    const registry = new OciRegistryStandIn();
    await new Promise<void>(resolve =>
      registry.server.listen(0, '127.0.0.1', resolve),
    );
    return registry;
  }

  /** host:port, as `oci://<host>/<path>` names the registry. */
  get host(): string {
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }

  private serve(req: http.IncomingMessage, res: http.ServerResponse) {
    this.requests.push(req.url ?? '/');
    const url = new URL(req.url ?? '/', `http://${this.host}`);
    if (url.pathname === '/token') {
      this.issueToken(url, res);
      return;
    }
    const name = url.pathname.match(/^\/v2\/(.+)\/tags\/list$/)?.[1];
    if (!name) {
      sendJson(res, 404, errors('NOT_FOUND', 'no such endpoint'));
      return;
    }
    const scope = `repository:${name}:pull`;
    const token = req.headers.authorization?.replace(/^Bearer /, '');
    const grants = token ? this.tokens.get(token) : undefined;
    if (!grants?.has(name)) {
      res.setHeader(
        'WWW-Authenticate',
        `Bearer realm="http://${this.host}/token",service="${
          OciRegistryStandIn.SERVICE
        }",scope="${scope}"${grants ? ',error="insufficient_scope"' : ''}`,
      );
      sendJson(res, 401, errors('UNAUTHORIZED', 'authentication required'));
      return;
    }
    const tags = this.repositories.get(name);
    if (!tags) {
      sendJson(res, 404, errors('NAME_UNKNOWN', 'repository name not known'));
      return;
    }
    const last = url.searchParams.get('last');
    const n = Number(url.searchParams.get('n') ?? this.pageSize);
    const after = [...tags].sort().filter(tag => !last || tag > last);
    const page = after.slice(0, Math.min(n, this.pageSize));
    if (after.length > page.length) {
      res.setHeader(
        'Link',
        `</v2/${name}/tags/list?n=${this.pageSize}&last=${
          page[page.length - 1]
        }>; rel="next"`,
      );
    }
    sendJson(res, 200, { name, tags: page });
  }

  /** Anonymous: the token may pull what is public of what the scopes ask for. */
  private issueToken(url: URL, res: http.ServerResponse) {
    if (url.searchParams.get('service') !== OciRegistryStandIn.SERVICE) {
      sendJson(res, 400, errors('DENIED', 'unknown service'));
      return;
    }
    const pullable = url.searchParams
      .getAll('scope')
      .map(scope => scope.match(/^repository:(.+):pull$/)?.[1])
      .filter((name): name is string => !!name)
      .filter(name => this.publicRepositories.has(name));
    const token = randomBytes(16).toString('hex');
    this.tokens.set(token, new Set(pullable));
    sendJson(res, 200, {
      [this.tokenField]: token,
      expires_in: 300,
      issued_at: new Date().toISOString(),
    });
  }
}

/** The distribution spec's error body. */
function errors(code: string, message: string) {
  return { errors: [{ code, message, detail: null }] };
}

function sendJson(res: http.ServerResponse, status: number, body: unknown) {
  res
    .writeHead(status, { 'Content-Type': 'application/json' })
    .end(JSON.stringify(body));
}

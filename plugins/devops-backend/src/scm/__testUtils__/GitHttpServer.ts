import { spawn } from 'child_process';
import http from 'http';
import { AddressInfo } from 'net';
import path from 'path';

export type GitHttpServerOptions = {
  /** Repositories under this folder are served, at their path relative to it. */
  root: string;
  /** Whether the HTTP Basic credentials of a request may read the repositories. */
  accepts(username: string, password: string): boolean;
};

/** What a request asked for and how it was answered; never the password. */
export type RecordedRequest = {
  method: string;
  /** The path and query, e.g. `/origin/info/refs?service=git-upload-pack`. */
  path: string;
  /** The user name of the request's Basic credentials, if it had any. */
  username?: string;
  status: number;
};

/** Request headers a CGI program does not get as HTTP_* variables. */
const NOT_PASSED_HEADERS = new Set([
  'authorization',
  'content-type',
  'content-length',
]);

/**
 * A private git host for tests: `git http-backend` (git's smart-HTTP server, run as a CGI
 * program) behind HTTP Basic authentication, on 127.0.0.1 at a free port. Serves
 * TestRepository folders: http-backend finds the `.git` of a non-bare one itself. It runs
 * in the test's process, so git must be run without blocking it (not execFileSync).
 */
export class GitHttpServer {
  readonly requests: RecordedRequest[] = [];

  private constructor(
    private readonly options: GitHttpServerOptions,
    private readonly server: http.Server,
    private readonly origin: string,
  ) {}

  static async start(options: GitHttpServerOptions): Promise<GitHttpServer> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const instance = new GitHttpServer(
      options,
      server,
      `http://127.0.0.1:${port}`,
    );
    server.on('request', (req, res) => instance.handle(req, res));
    return instance;
  }

  /** The http:// URL of the repository in `dir`, which must be under the root. */
  url(dir: string): string {
    const relative = path.relative(this.options.root, dir);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      throw new Error(`${dir} is not under ${this.options.root}`);
    }
    return `${this.origin}/${relative.split(path.sep).join('/')}`;
  }

  async close(): Promise<void> {
    // git keeps its connections alive; close() alone would wait for them.
    this.server.closeAllConnections();
    await new Promise<void>(resolve => this.server.close(() => resolve()));
  }

  /**
   * Answers one request. Public so that a stand-in of a code host can serve git on its
   * own origin, as GitHub serves its API and git on one host.
   */
  handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const url = new URL(req.url ?? '/', this.origin);
    const given = basicCredentials(req);
    const username = given?.username;
    const record = (status: number) =>
      this.requests.push({
        method: req.method ?? 'GET',
        path: url.pathname + url.search,
        username,
        status,
      });

    const { options } = this;
    if (!given || !options.accepts(given.username, given.password)) {
      record(401);
      res.writeHead(401, {
        'WWW-Authenticate': 'Basic realm="DevOps test git host"',
      });
      res.end('Authentication required\n');
      return;
    }

    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      GIT_PROJECT_ROOT: options.root,
      // Serve every repository, not only those with a git-daemon-export-ok file.
      GIT_HTTP_EXPORT_ALL: '1',
      GATEWAY_INTERFACE: 'CGI/1.1',
      REQUEST_METHOD: req.method,
      PATH_INFO: decodeURIComponent(url.pathname),
      QUERY_STRING: url.search.slice(1),
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: username,
      REMOTE_ADDR: req.socket.remoteAddress,
    };
    if (req.headers['content-length'])
      env.CONTENT_LENGTH = req.headers['content-length'];
    // Git-Protocol (protocol v2) and Content-Encoding (gzip bodies, which http-backend
    // inflates itself) reach http-backend this way, like any header under CGI.
    for (const [name, value] of Object.entries(req.headers)) {
      if (NOT_PASSED_HEADERS.has(name) || value === undefined) continue;
      env[`HTTP_${name.toUpperCase().replace(/-/g, '_')}`] = Array.isArray(
        value,
      )
        ? value.join(', ')
        : value;
    }

    const child = spawn('git', ['http-backend'], {
      env,
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    // http-backend may answer (an error, say) without reading the whole body.
    child.stdin.on('error', () => {});
    req.pipe(child.stdin);
    const chunks: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    child.on('error', error => {
      record(500);
      res
        .writeHead(500)
        .end(`git http-backend did not start: ${error.message}\n`);
    });
    child.on('close', () => {
      if (res.headersSent) return;
      const { status, headers, body } = parseCgiOutput(Buffer.concat(chunks));
      record(status);
      res.writeHead(status, headers).end(body);
    });
  }
}

function basicCredentials(
  req: http.IncomingMessage,
): { username: string; password: string } | undefined {
  const match = /^Basic\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return undefined;
  return {
    username: decoded.slice(0, colon),
    password: decoded.slice(colon + 1),
  };
}

/** A CGI response: header lines (`Status: 404 Not Found` among them), a blank line, the body. */
function parseCgiOutput(output: Buffer): {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
} {
  const separator = /\r?\n\r?\n/.exec(output.toString('latin1'));
  if (!separator) return { status: 502, headers: {}, body: output };
  const headers: Record<string, string> = {};
  let status = 200;
  for (const line of output
    .subarray(0, separator.index)
    .toString('latin1')
    .split(/\r?\n/)) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === 'status') status = parseInt(value, 10);
    else headers[name] = value;
  }
  return {
    status,
    headers,
    body: output.subarray(separator.index + separator[0].length),
  };
}

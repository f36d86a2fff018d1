import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One version of a chart, as `helm repo index` writes it. */
const entry = (name: string, version: string, created: string) => `
  - apiVersion: v2
    appVersion: "${version}"
    created: "${created}"
    description: A Helm chart for Kubernetes
    digest: 9d1076c4750b756227d9f6265ad759540eb5c745c9353a9711abcb5a865500e8
    name: ${name}
    type: application
    urls:
    - charts/${name}-${version}.tgz
    version: ${version}`;

/** Versions in the order a repository may list them: not newest first. */
const CHART_INDEX = `apiVersion: v1
entries:
  web-app:${[
    entry('web-app', '1.2.0', '2024-03-01T10:00:00.000000000Z'),
    entry('web-app', '1.10.0', '2024-05-01T10:00:00.000000000Z'),
    entry('web-app', '2.0.0-rc.1', '2024-06-01T10:00:00.000000000Z'),
    entry('web-app', '1.9.3', '2024-04-01T10:00:00.000000000Z'),
    entry('web-app', '0.1.0', '2024-01-01T10:00:00.000000000Z'),
  ].join('')}
  worker:${entry('worker', '3.0.0', '2024-02-01T10:00:00.000000000Z')}
generated: "2024-06-01T10:00:00.000000000Z"
`;

/**
 * A chart repository's static index: what ChartMuseum (and any Helm chart repository)
 * serves at `GET /index.yaml`, in the format of Helm's "The Chart Repository Guide":
 * `apiVersion: v1`, `entries` (per chart name, its versions with `name`, `version`,
 * `created`, `digest`, `urls`...) and `generated`. A real HTTP server on 127.0.0.1, so
 * requests, statuses and bodies go over the wire.
 *
 * It holds `web-app` (a release line with a pre-release) and `worker`.
 */
export class ChartIndexServer {
  /** Requests received, as paths. */
  readonly requests: string[] = [];
  /**
   * `index`: the index; `credentials`: 401 with a Basic challenge, as ChartMuseum with
   * basic auth; `silence`: no answer at all; or a body to serve as the index.
   */
  answer: 'index' | 'credentials' | 'silence' | { body: string } = 'index';

  private readonly server = http.createServer((req, res) => {
    this.requests.push(req.url ?? '/');
    if (this.answer === 'silence') return;
    if (req.url !== '/index.yaml') {
      res.writeHead(404).end('Not Found');
    } else if (this.answer === 'credentials') {
      res
        .writeHead(401, { 'WWW-Authenticate': 'Basic realm="ChartMuseum"' })
        .end('{"error":"unauthorized"}');
    } else {
      res
        .writeHead(200, { 'Content-Type': 'application/x-yaml' })
        .end(this.answer === 'index' ? CHART_INDEX : this.answer.body);
    }
  });

  static async start(): Promise<ChartIndexServer> {
    const server = new ChartIndexServer();
    await new Promise<void>(resolve =>
      server.server.listen(0, '127.0.0.1', resolve),
    );
    return server;
  }

  /** The repository URL, as `devops.chartRepository.url` names it. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise(resolve => this.server.close(resolve));
  }
}

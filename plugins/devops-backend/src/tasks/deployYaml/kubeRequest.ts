import * as http from 'node:http';
import * as https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';

export type KubeResponse = {
  status: number;
  /** The parsed JSON body; for errors, usually a `Status` with a `message`. */
  body: any;
};

/**
 * One request to a cluster's API server, authenticated as `kc`'s current context
 * (client-node resolves tokens, certificates and exec plugins). client-node's
 * KubernetesObjectApi is not used for applying manifests: it rebuilds request bodies
 * from its generated models, which silently drops fields they do not know, such as
 * typos the server should reject and the `x-kubernetes-*` keys of a CRD's schema.
 */
export async function kubeRequest(
  kc: KubeConfig,
  request: {
    method: 'GET' | 'POST' | 'PATCH';
    path: string;
    body?: unknown;
    contentType?: string;
    signal?: AbortSignal;
  },
): Promise<KubeResponse> {
  const cluster = kc.getCurrentCluster();
  if (!cluster)
    throw new Error('the cluster configuration has no current context');
  const options: https.RequestOptions = {
    method: request.method,
    headers: { Accept: 'application/json' },
    signal: request.signal,
  };
  await kc.applyToHTTPSOptions(options);
  const url = new URL(cluster.server.replace(/\/+$/, '') + request.path);
  const payload =
    request.body === undefined ? undefined : JSON.stringify(request.body);
  if (payload !== undefined) {
    Object.assign(options.headers!, {
      'Content-Type': request.contentType ?? 'application/json',
      'Content-Length': Buffer.byteLength(payload),
    });
  }
  const send = url.protocol === 'http:' ? http.request : https.request;

  return new Promise((resolve, reject) => {
    const req = send(url, options, res => {
      const chunks: Buffer[] = [];
      res.on('data', chunk => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, body: parseBody(text) });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Proxies in front of an API server may answer in plain text.
    return { message: text.trim() };
  }
}

/** What the server said went wrong, for a user to read. */
export function serverMessage(response: KubeResponse): string {
  const message = response.body?.message;
  return typeof message === 'string' && message
    ? message
    : `HTTP ${response.status}`;
}

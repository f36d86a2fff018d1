import type { RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { stringify } from 'yaml';

const NAME = 'target';

/**
 * A kubeconfig for the current context of `kc` that works inside a task container: only
 * that cluster and user (a kubeconfig file may hold credentials for other clusters,
 * which must not reach the pod), and with the credentials resolved as client-node uses
 * them (CA and key files read, token files and exec plugins run), since none of those
 * files or plugins exist in the helm image. A token from an exec plugin is valid as long
 * as that plugin made it valid for, usually well beyond a deployment.
 */
export async function portableKubeConfig(kc: KubeConfig): Promise<string> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) {
    throw new Error('the cluster configuration has no current context');
  }
  const resolved: RequestOptions = {};
  await kc.applyToHTTPSOptions(resolved);
  const headers = (resolved.headers ?? {}) as Record<
    string,
    string | undefined
  >;
  const bearer = headers.Authorization?.match(/^Bearer (.+)$/)?.[1];
  const [username, ...passwordParts] = resolved.auth?.split(':') ?? [];

  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [
      {
        name: NAME,
        cluster: {
          server: cluster.server,
          'certificate-authority-data': base64(resolved.ca),
          'insecure-skip-tls-verify': cluster.skipTLSVerify || undefined,
          'tls-server-name': cluster.tlsServerName,
          'proxy-url': cluster.proxyUrl,
        },
      },
    ],
    users: [
      {
        name: NAME,
        user: {
          token: bearer,
          'client-certificate-data': base64(resolved.cert),
          'client-key-data': base64(resolved.key),
          username: resolved.auth ? username : undefined,
          password: resolved.auth ? passwordParts.join(':') : undefined,
          as: headers['Impersonate-User'],
        },
      },
    ],
    contexts: [{ name: NAME, context: { cluster: NAME, user: NAME } }],
    'current-context': NAME,
  });
}

type Pem = string | Buffer | Array<string | Buffer | { pem: string | Buffer }>;

function base64(value: Pem | undefined): string | undefined {
  if (value === undefined) return undefined;
  const pems = Array.isArray(value) ? value : [value];
  return Buffer.concat(
    pems.map(pem =>
      Buffer.from(typeof pem === 'object' && 'pem' in pem ? pem.pem : pem),
    ),
  ).toString('base64');
}

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';
import { loadKubernetesClient } from '../../kubernetes/loadKubernetesClient';
import { portableKubeConfig } from './portableKubeConfig';

describe('portableKubeConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portable-kubeconfig-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string, mode = 0o644) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, content, { mode });
    return target;
  };

  async function load(kubeconfig: object, context: string) {
    const { KubeConfig } = await loadKubernetesClient();
    const kc = new KubeConfig();
    kc.loadFromFile(file('config', JSON.stringify(kubeconfig)));
    kc.setCurrentContext(context);
    return parse(await portableKubeConfig(kc));
  }

  it('keeps only the current context and inlines the files it refers to', async () => {
    const config = await load(
      {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'prod',
            cluster: {
              server: 'https://prod:6443',
              'certificate-authority': file('ca.crt', 'PROD CA'),
              'tls-server-name': 'kubernetes',
            },
          },
          {
            name: 'dev',
            cluster: {
              server: 'https://dev:6443',
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [
          {
            name: 'prod-admin',
            user: {
              'client-certificate': file('client.crt', 'CERT'),
              'client-key': file('client.key', 'KEY', 0o600),
            },
          },
          { name: 'dev-admin', user: { token: 'dev-token' } },
        ],
        contexts: [
          { name: 'prod', context: { cluster: 'prod', user: 'prod-admin' } },
          { name: 'dev', context: { cluster: 'dev', user: 'dev-admin' } },
        ],
        'current-context': 'dev',
      },
      'prod',
    );
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'target',
          cluster: {
            server: 'https://prod:6443',
            'certificate-authority-data':
              Buffer.from('PROD CA').toString('base64'),
            'tls-server-name': 'kubernetes',
          },
        },
      ],
      users: [
        {
          name: 'target',
          user: {
            'client-certificate-data': Buffer.from('CERT').toString('base64'),
            'client-key-data': Buffer.from('KEY').toString('base64'),
          },
        },
      ],
      contexts: [
        { name: 'target', context: { cluster: 'target', user: 'target' } },
      ],
      'current-context': 'target',
    });
    expect(JSON.stringify(config)).not.toContain('dev-token');
  });

  it('runs an exec credential plugin and writes the token it gives', async () => {
    const plugin = file(
      'credential-plugin',
      `#!/bin/sh\necho '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"from-plugin"}}'\n`,
      0o755,
    );
    const config = await load(
      {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [
          {
            name: 'eks',
            cluster: {
              server: 'https://eks:443',
              'insecure-skip-tls-verify': true,
            },
          },
        ],
        users: [
          {
            name: 'eks',
            user: {
              exec: {
                apiVersion: 'client.authentication.k8s.io/v1',
                command: plugin,
                interactiveMode: 'Never',
              },
            },
          },
        ],
        contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'eks' } }],
      },
      'eks',
    );
    expect(config.clusters[0].cluster).toEqual({
      server: 'https://eks:443',
      'insecure-skip-tls-verify': true,
    });
    expect(config.users[0].user).toEqual({ token: 'from-plugin' });
  });

  it('keeps basic auth with a password holding colons', async () => {
    const config = await load(
      {
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://c' } }],
        users: [{ name: 'u', user: { username: 'admin', password: 'a:b:c' } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
      },
      'c',
    );
    expect(config.users[0].user).toEqual({
      username: 'admin',
      password: 'a:b:c',
    });
  });
});

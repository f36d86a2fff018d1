import { ConfigReader } from '@backstage/config';
import { InputError } from '@backstage/errors';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { kubeConfigFor, readKnownClusters } from './knownClusters';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: kind-cluster
  cluster: { server: 'https://127.0.0.1:41000', insecure-skip-tls-verify: true }
- name: minikube-cluster
  cluster: { server: 'https://192.168.49.2:8443' }
users:
- name: dev
  user: { token: dev-token }
contexts:
- name: kind-dev
  context: { cluster: kind-cluster, user: dev }
- name: minikube
  context: { cluster: minikube-cluster, user: dev }
- name: dangling
  context: { cluster: no-such-cluster, user: dev }
current-context: minikube
`;

describe('readKnownClusters', () => {
  let dir: string;
  let kubeconfigPath: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'known-clusters-'));
    kubeconfigPath = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfigPath, KUBECONFIG);
  });

  afterAll(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('knows no cluster without configuration', async () => {
    expect(await readKnownClusters(new ConfigReader({}))).toEqual([]);
  });

  it('reads config locators as the Kubernetes backend does, and skips other locator types', async () => {
    const clusters = await readKnownClusters(
      new ConfigReader({
        kubernetes: {
          clusterLocatorMethods: [
            { type: 'gke', projectId: 'p' },
            {
              type: 'config',
              clusters: [
                {
                  name: 'prod',
                  title: 'Production',
                  url: 'https://prod.example.com',
                  serviceAccountToken: 'prod-token',
                  caData: 'Q0E=',
                },
                {
                  name: 'eks',
                  url: 'https://eks.example.com',
                  authProvider: 'aws',
                  skipTLSVerify: true,
                  authMetadata: { 'kubernetes.io/x-k8s-aws-id': 'eks' },
                },
              ],
            },
          ],
        },
      }),
    );

    expect(clusters).toEqual([
      {
        source: 'config',
        name: 'prod',
        title: 'Production',
        url: 'https://prod.example.com',
        skipTLSVerify: false,
        caData: 'Q0E=',
        caFile: undefined,
        authMetadata: {
          'kubernetes.io/auth-provider': 'serviceAccount',
          serviceAccountToken: 'prod-token',
        },
      },
      {
        source: 'config',
        name: 'eks',
        title: undefined,
        url: 'https://eks.example.com',
        skipTLSVerify: true,
        caData: undefined,
        caFile: undefined,
        authMetadata: {
          'kubernetes.io/auth-provider': 'aws',
          'kubernetes.io/x-k8s-aws-id': 'eks',
        },
      },
    ]);
  });

  it('offers each context of the kubeconfig file whose cluster exists, named after the context', async () => {
    const clusters = await readKnownClusters(
      new ConfigReader({ devops: { kubernetes: { kubeconfig: kubeconfigPath } } }),
    );

    expect(clusters).toEqual([
      {
        source: 'kubeconfig',
        name: 'kind-dev',
        url: 'https://127.0.0.1:41000',
        skipTLSVerify: true,
        authMetadata: { 'kubernetes.io/auth-provider': 'kubeconfig' },
        kubeconfig: { path: kubeconfigPath, context: 'kind-dev' },
      },
      {
        source: 'kubeconfig',
        name: 'minikube',
        url: 'https://192.168.49.2:8443',
        skipTLSVerify: false,
        authMetadata: { 'kubernetes.io/auth-provider': 'kubeconfig' },
        kubeconfig: { path: kubeconfigPath, context: 'minikube' },
      },
    ]);
  });

  it('refuses two clusters of the same name', async () => {
    const config = new ConfigReader({
      devops: { kubernetes: { kubeconfig: kubeconfigPath } },
      kubernetes: {
        clusterLocatorMethods: [
          { type: 'config', clusters: [{ name: 'minikube', url: 'https://x', serviceAccountToken: 't' }] },
        ],
      },
    });

    await expect(readKnownClusters(config)).rejects.toThrow(
      new InputError("Duplicate Kubernetes cluster name 'minikube' in the configuration"),
    );
  });

  it('fails on a cluster entry without a url, naming the key', async () => {
    const config = new ConfigReader({
      kubernetes: { clusterLocatorMethods: [{ type: 'config', clusters: [{ name: 'prod' }] }] },
    });

    await expect(readKnownClusters(config)).rejects.toThrow(/url/);
  });
});

describe('kubeConfigFor', () => {
  it('builds a client configuration from the url, CA and service account token', async () => {
    const kc = await kubeConfigFor({
      source: 'config',
      name: 'prod',
      url: 'https://prod.example.com',
      skipTLSVerify: false,
      caData: 'Q0E=',
      authMetadata: {
        'kubernetes.io/auth-provider': 'serviceAccount',
        serviceAccountToken: 'prod-token',
      },
    });

    expect(kc.getCurrentContext()).toBe('prod');
    expect(kc.getCurrentCluster()).toMatchObject({
      name: 'prod',
      server: 'https://prod.example.com',
      caData: 'Q0E=',
      skipTLSVerify: false,
    });
    expect(kc.getCurrentUser()).toMatchObject({ token: 'prod-token' });
  });

  it('uses the context of a kubeconfig cluster', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'known-clusters-'));
    const kubeconfigPath = path.join(dir, 'kubeconfig');
    fs.writeFileSync(kubeconfigPath, KUBECONFIG);
    try {
      const kc = await kubeConfigFor({
        source: 'kubeconfig',
        name: 'kind-dev',
        url: 'https://127.0.0.1:41000',
        authMetadata: { 'kubernetes.io/auth-provider': 'kubeconfig' },
        kubeconfig: { path: kubeconfigPath, context: 'kind-dev' },
      });

      expect(kc.getCurrentContext()).toBe('kind-dev');
      expect(kc.getCurrentCluster()?.server).toBe('https://127.0.0.1:41000');
      expect(kc.getCurrentUser()).toMatchObject({ token: 'dev-token' });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses auth providers DevOps cannot act with, saying what it needs', async () => {
    await expect(
      kubeConfigFor({
        source: 'config',
        name: 'eks',
        url: 'https://eks.example.com',
        authMetadata: { 'kubernetes.io/auth-provider': 'aws' },
      }),
    ).rejects.toThrow(
      new InputError(
        "Cluster 'eks' uses the auth provider 'aws'; DevOps needs a serviceAccountToken for it in kubernetes.clusterLocatorMethods",
      ),
    );
    await expect(
      kubeConfigFor({
        source: 'config',
        name: 'no-token',
        url: 'https://x.example.com',
        authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount' },
      }),
    ).rejects.toThrow(/Cluster 'no-token' uses the auth provider 'serviceAccount'; DevOps needs a serviceAccountToken/);
  });
});

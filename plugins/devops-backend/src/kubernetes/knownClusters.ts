import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { ANNOTATION_KUBERNETES_AUTH_PROVIDER } from '@backstage/plugin-kubernetes-common';
import type { ClusterDetails } from '@backstage/plugin-kubernetes-node';
import { loadKubernetesClient } from './loadKubernetesClient';

/**
 * A cluster the portal knows, as the Backstage Kubernetes plugin describes it, plus where
 * it came from: `kubernetes.clusterLocatorMethods` (type `config`), or a kubeconfig file
 * named by `devops.kubernetes.kubeconfig` (local use).
 */
export type KnownCluster = ClusterDetails & {
  source: 'config' | 'kubeconfig';
  /** For `kubeconfig` clusters: the file and the context the cluster is read from. */
  kubeconfig?: { path: string; context: string };
};

const SERVICE_ACCOUNT_TOKEN = 'serviceAccountToken';

/**
 * Reads the clusters of `kubernetes.clusterLocatorMethods` entries of type `config` the
 * way the Kubernetes backend's ConfigClusterLocator does (that class is not exported), and
 * the contexts of `devops.kubernetes.kubeconfig`. Locator types that need a cloud
 * provider's SDK (gke, catalog) are not read: DevOps needs credentials it can use itself.
 */
export async function readKnownClusters(root: Config): Promise<KnownCluster[]> {
  const clusters: KnownCluster[] = [];
  const locators = root.getOptionalConfigArray('kubernetes.clusterLocatorMethods') ?? [];
  for (const locator of locators) {
    if (locator.getString('type') !== 'config') continue;
    for (const c of locator.getOptionalConfigArray('clusters') ?? []) {
      const authMetadataBlock = c.getOptional<Record<string, string>>('authMetadata') ?? {};
      const serviceAccountToken = c.getOptionalString(SERVICE_ACCOUNT_TOKEN);
      clusters.push({
        source: 'config',
        name: c.getString('name'),
        title: c.getOptionalString('title'),
        url: c.getString('url'),
        skipTLSVerify: c.getOptionalBoolean('skipTLSVerify') ?? false,
        caData: c.getOptionalString('caData'),
        caFile: c.getOptionalString('caFile'),
        authMetadata: {
          [ANNOTATION_KUBERNETES_AUTH_PROVIDER]:
            authMetadataBlock[ANNOTATION_KUBERNETES_AUTH_PROVIDER] ??
            c.getOptionalString('authProvider') ??
            'serviceAccount',
          ...(serviceAccountToken ? { [SERVICE_ACCOUNT_TOKEN]: serviceAccountToken } : {}),
          ...authMetadataBlock,
        },
      });
    }
  }
  const kubeconfigPath = root.getOptionalString('devops.kubernetes.kubeconfig');
  if (kubeconfigPath) {
    const { KubeConfig } = await loadKubernetesClient();
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfigPath);
    for (const context of kc.getContexts()) {
      const cluster = kc.getCluster(context.cluster);
      if (!cluster) continue;
      clusters.push({
        source: 'kubeconfig',
        name: context.name,
        url: cluster.server,
        skipTLSVerify: cluster.skipTLSVerify,
        authMetadata: { [ANNOTATION_KUBERNETES_AUTH_PROVIDER]: 'kubeconfig' },
        kubeconfig: { path: kubeconfigPath, context: context.name },
      });
    }
  }
  const seen = new Set<string>();
  for (const cluster of clusters) {
    if (seen.has(cluster.name)) {
      throw new InputError(`Duplicate Kubernetes cluster name '${cluster.name}' in the configuration`);
    }
    seen.add(cluster.name);
  }
  return clusters;
}

/**
 * A client configuration for one known cluster: its kubeconfig context, or its URL, CA
 * and service-account token. Other auth providers (aws, google, oidc...) are refused
 * with the reason, since DevOps acts as itself, not as the signed-in user.
 */
export async function kubeConfigFor(cluster: KnownCluster) {
  const { KubeConfig } = await loadKubernetesClient();
  const kc = new KubeConfig();
  if (cluster.kubeconfig) {
    kc.loadFromFile(cluster.kubeconfig.path);
    kc.setCurrentContext(cluster.kubeconfig.context);
    return kc;
  }
  const provider = cluster.authMetadata[ANNOTATION_KUBERNETES_AUTH_PROVIDER];
  const token = cluster.authMetadata[SERVICE_ACCOUNT_TOKEN];
  if (provider !== 'serviceAccount' || !token) {
    throw new InputError(
      `Cluster '${cluster.name}' uses the auth provider '${provider}'; DevOps needs a serviceAccountToken for it in kubernetes.clusterLocatorMethods`,
    );
  }
  kc.loadFromOptions({
    clusters: [
      {
        name: cluster.name,
        server: cluster.url,
        skipTLSVerify: cluster.skipTLSVerify ?? false,
        caData: cluster.caData,
        caFile: cluster.caFile,
      },
    ],
    users: [{ name: 'devops', token }],
    contexts: [{ name: cluster.name, cluster: cluster.name, user: 'devops' }],
    currentContext: cluster.name,
  });
  return kc;
}

import { bindingNamespace, MAX_PREFIX_LENGTH } from '../bindingNamespace';
import {
  TestCluster,
  deleteTestNamespace,
  useTestCluster,
} from '../../kubernetes/__testUtils__/testCluster';

/** The kubeconfig context of the local test cluster, offered as a cluster of that name. */
export const LOCAL_CLUSTER = 'local';
/** A configured cluster on a port nothing listens on. */
export const CLOSED_PORT_CLUSTER = 'closed-port';
/** The real test API server, with a token it does not accept. */
export const WRONG_TOKEN_CLUSTER = 'wrong-token';

/**
 * Configuration naming three clusters on the local test control plane: the real one
 * (through its kubeconfig), one that cannot be reached, and one whose credentials are
 * refused, as `kubernetes.clusterLocatorMethods` entries of type `config`.
 */
export function testClustersConfig(cluster: TestCluster) {
  const server = cluster.kubeConfig.getCurrentCluster()!;
  return {
    devops: { kubernetes: { kubeconfig: cluster.kubeconfigPath } },
    kubernetes: {
      clusterLocatorMethods: [
        {
          type: 'config',
          clusters: [
            {
              name: CLOSED_PORT_CLUSTER,
              url: 'https://127.0.0.1:1',
              serviceAccountToken: 'token',
              skipTLSVerify: true,
            },
            {
              name: WRONG_TOKEN_CLUSTER,
              url: server.server,
              caData: server.caData,
              serviceAccountToken: 'not-a-valid-token',
            },
          ],
        },
      ],
    },
  };
}

let counter = 0;

/** A namespace name no other test uses, on a cluster that outlives test runs. */
export function uniqueNamespace(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${process.pid}-${counter}`.slice(0, 63);
}

/**
 * For a test file that binds the local test cluster: starts the control plane in
 * `beforeAll`, and gives namespace names (`namespace(prefix)`) that binding creates and
 * `afterAll` deletes. `cluster` is set once `beforeAll` has run.
 */
export function useBindableTestCluster() {
  const names: string[] = [];
  const state = {
    cluster: undefined as unknown as TestCluster,
    namespace(prefix = 'devops-bind') {
      const name = uniqueNamespace(prefix);
      names.push(name);
      return name;
    },
    /**
     * A namespace prefix no other test uses, and the namespace binding `clusterName`
     * with it creates (deleted in `afterAll` too).
     */
    namespacePrefix(clusterName: string, prefix = 'devops-bind') {
      const namespacePrefix = uniqueNamespace(prefix).slice(0, MAX_PREFIX_LENGTH);
      const namespace = bindingNamespace(namespacePrefix, clusterName);
      names.push(namespace);
      return { namespacePrefix, namespace };
    },
  };
  beforeAll(async () => {
    state.cluster = await useTestCluster();
  }, 180_000);
  afterAll(async () => {
    await Promise.all(names.map(ns => deleteTestNamespace(state.cluster.kubeConfig, ns)));
  });
  return state;
}

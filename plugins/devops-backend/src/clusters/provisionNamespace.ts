import type { KubeConfig, V1PolicyRule } from '@kubernetes/client-node';
import { loadKubernetesClient } from '../kubernetes/loadKubernetesClient';
import { describeKubernetesError, withTimeout } from './kubernetesErrors';

/** The identity task pods run as in a bound namespace. */
export const TASK_RUNNER_SERVICE_ACCOUNT = 'devops-task-runner';

/** Marks what DevOps created, so a cluster admin can tell it apart. */
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'backstage-devops' };

/**
 * What the task runner may do in its namespace: read config maps (settings an admin
 * shares with every pipeline). Nothing about pods: the namespace is shared by every
 * pipeline, and their pods' logs are not masked. The backend creates and deletes the pods
 * with the portal's own credentials; task pods run users' scripts, so they get no write
 * access (and the executor does not even mount the account's token).
 */
const TASK_RUNNER_RULES: V1PolicyRule[] = [
  { apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list', 'watch'] },
];

const REQUEST_TIMEOUT_MS = 15_000;

/**
 * Creates, or brings up to date, what pipelines need in a cluster: the namespace, the
 * task runner's service account, and a Role and RoleBinding for it. Objects that already
 * exist are kept (namespace, service account) or updated (the role and its binding), so
 * binding a cluster again, or after a failure half-way, is safe.
 */
export async function provisionNamespace(kubeConfig: KubeConfig, namespace: string): Promise<void> {
  const { CoreV1Api, RbacAuthorizationV1Api } = await loadKubernetesClient();
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const rbac = kubeConfig.makeApiClient(RbacAuthorizationV1Api);
  const name = TASK_RUNNER_SERVICE_ACCOUNT;

  await createUnlessExists(() =>
    core.createNamespace({ body: { metadata: { name: namespace, labels: MANAGED_BY } } }),
  );
  await createUnlessExists(() =>
    core.createNamespacedServiceAccount({
      namespace,
      body: { metadata: { name, namespace, labels: MANAGED_BY } },
    }),
  );
  const role = { metadata: { name, namespace, labels: MANAGED_BY }, rules: TASK_RUNNER_RULES };
  await createOrReplace(
    () => rbac.createNamespacedRole({ namespace, body: role }),
    () => rbac.replaceNamespacedRole({ name, namespace, body: role }),
  );
  const roleBinding = {
    metadata: { name, namespace, labels: MANAGED_BY },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
    subjects: [{ kind: 'ServiceAccount', name, namespace }],
  };
  await createOrReplace(
    () => rbac.createNamespacedRoleBinding({ namespace, body: roleBinding }),
    () => rbac.replaceNamespacedRoleBinding({ name, namespace, body: roleBinding }),
  );
}

async function createUnlessExists(create: () => Promise<unknown>) {
  try {
    await withTimeout(create(), REQUEST_TIMEOUT_MS);
  } catch (error) {
    if (describeKubernetesError(error).kind !== 'conflict') throw error;
  }
}

async function createOrReplace(create: () => Promise<unknown>, replace: () => Promise<unknown>) {
  try {
    await withTimeout(create(), REQUEST_TIMEOUT_MS);
  } catch (error) {
    if (describeKubernetesError(error).kind !== 'conflict') throw error;
    await withTimeout(replace(), REQUEST_TIMEOUT_MS);
  }
}

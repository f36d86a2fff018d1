import type * as KubernetesClient from '@kubernetes/client-node';

export type KubernetesClientModule = typeof KubernetesClient;

let loading: Promise<KubernetesClientModule> | undefined;

/**
 * @kubernetes/client-node is ESM-only while this backend is CommonJS, so it is imported
 * dynamically, as @backstage/plugin-kubernetes-backend does. Jest needs
 * `--experimental-vm-modules` for that (the root `test` script sets it).
 */
export function loadKubernetesClient(): Promise<KubernetesClientModule> {
  loading ??= import('@kubernetes/client-node');
  return loading;
}

import type { KubeConfig } from '@kubernetes/client-node';
import { ApiResources } from './ApiResources';
import { kubeRequest, serverMessage } from './kubeRequest';
import type { Manifest } from './parseManifests';

/** The field manager our applies are recorded under, as `kubectl` records its own. */
export const FIELD_MANAGER = 'devops-pipelines';

export type ApplyResult = 'created' | 'configured' | 'unchanged';

/**
 * Applies objects to one cluster with server-side apply, as `kubectl apply
 * --server-side --force-conflicts --field-manager=devops-pipelines` does: the pipeline
 * owns what its file says, even fields another manager set before.
 */
export class ManifestApplier {
  readonly #resources: ApiResources;

  constructor(
    private readonly kc: KubeConfig,
    clusterName: string,
    private readonly signal: AbortSignal,
  ) {
    this.#resources = new ApiResources(kc, clusterName, signal);
  }

  /**
   * Applies one object into `namespace` (when its kind is namespaced). Errors carry the
   * API server's own message.
   */
  async apply(manifest: Manifest, namespace: string): Promise<ApplyResult> {
    const { apiVersion, kind, metadata } = manifest.object;
    const resource = await this.#resources.find(apiVersion, kind);
    let path = apiVersion.includes('/')
      ? `/apis/${apiVersion}`
      : `/api/${apiVersion}`;
    let body = manifest.object;
    if (resource.namespaced) {
      if (metadata.namespace && metadata.namespace !== namespace) {
        throw new Error(
          `it names namespace ${metadata.namespace}, but the task deploys to ${namespace}; remove metadata.namespace from the file or change the task's namespace`,
        );
      }
      path += `/namespaces/${encodeURIComponent(namespace)}`;
      body = { ...body, metadata: { ...metadata, namespace } };
    }
    path += `/${resource.name}/${encodeURIComponent(metadata.name)}`;

    // Server-side apply answers 200 whether or not anything changed; the resource
    // version, which only a real change bumps, tells the two apart.
    const before = await kubeRequest(this.kc, {
      method: 'GET',
      path,
      signal: this.signal,
    });
    if (before.status !== 200 && before.status !== 404) {
      throw new Error(serverMessage(before));
    }
    const applied = await kubeRequest(this.kc, {
      method: 'PATCH',
      path: `${path}?fieldManager=${FIELD_MANAGER}&force=true&fieldValidation=Strict`,
      // JSON is YAML, and the apply content type is only defined for YAML.
      contentType: 'application/apply-patch+yaml',
      body,
      signal: this.signal,
    });
    if (applied.status !== 200 && applied.status !== 201) {
      throw new Error(serverMessage(applied));
    }
    if (before.status === 404) return 'created';
    return applied.body?.metadata?.resourceVersion ===
      before.body?.metadata?.resourceVersion
      ? 'unchanged'
      : 'configured';
  }
}

/** How kubectl names an object in its output: `deployment.apps/web`, `service/web`. */
export function objectRef(object: Manifest['object']): string {
  const group = object.apiVersion.includes('/')
    ? `.${object.apiVersion.split('/')[0]}`
    : '';
  return `${object.kind.toLowerCase()}${group}/${object.metadata.name}`;
}

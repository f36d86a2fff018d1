import type { KubeConfig } from '@kubernetes/client-node';
import { kubeRequest, serverMessage } from './kubeRequest';

/** The REST resource behind a kind: its plural name in URLs and whether it is namespaced. */
export type ApiResource = { name: string; namespaced: boolean };

type ResourceList = { resources?: Array<ApiResource & { kind: string }> };

/**
 * Finds the resource for an apiVersion and kind through the API server's discovery
 * documents, once per apiVersion, and asks again when a kind is missing (a
 * CustomResourceDefinition applied earlier in the same file may just have added it).
 * When the server does not serve the kind, the error says what it serves instead, since
 * the usual cause is an API version removed by a Kubernetes upgrade.
 */
export class ApiResources {
  readonly #lists = new Map<string, ResourceList>();

  constructor(
    private readonly kc: KubeConfig,
    private readonly clusterName: string,
    private readonly signal: AbortSignal,
  ) {}

  async find(apiVersion: string, kind: string): Promise<ApiResource> {
    const cached = this.#lists.get(apiVersion);
    const found = cached && findKind(cached, kind);
    if (found) return found;
    const list = await this.#fetch(apiVersion);
    const resource = findKind(list, kind);
    if (!resource) {
      const kinds = [
        ...new Set((list.resources ?? []).map(r => r.kind)),
      ].sort();
      throw new Error(
        `${apiVersion} on cluster ${
          this.clusterName
        } has no kind ${kind}; it has ${kinds.join(', ')}`,
      );
    }
    return resource;
  }

  async #fetch(apiVersion: string): Promise<ResourceList> {
    const response = await kubeRequest(this.kc, {
      method: 'GET',
      path: apiVersion.includes('/')
        ? `/apis/${apiVersion}`
        : `/api/${apiVersion}`,
      signal: this.signal,
    });
    if (response.status === 200) {
      this.#lists.set(apiVersion, response.body);
      return response.body;
    }
    if (response.status !== 404) {
      throw new Error(
        `cluster ${
          this.clusterName
        } refused to list the kinds of ${apiVersion}: ${serverMessage(
          response,
        )}`,
      );
    }
    throw new Error(
      `cluster ${
        this.clusterName
      } does not serve ${apiVersion} (${serverMessage(
        response,
      )}); ${await this.#servedVersions(apiVersion)}`,
    );
  }

  /** What to use instead of an apiVersion the server does not serve. */
  async #servedVersions(apiVersion: string): Promise<string> {
    const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
    if (!group) return 'the core API is served as v1';
    const response = await kubeRequest(this.kc, {
      method: 'GET',
      path: `/apis/${group}`,
      signal: this.signal,
    });
    const versions: string[] =
      response.status === 200
        ? (response.body.versions ?? []).map(
            (v: { groupVersion: string }) => v.groupVersion,
          )
        : [];
    return versions.length
      ? `it serves ${versions.join(
          ', ',
        )}: the version may have been removed by a Kubernetes upgrade, so update the file to one the cluster serves`
      : `it has no API group ${group}: install the CustomResourceDefinitions or add-on that provide it`;
  }
}

function findKind(list: ResourceList, kind: string): ApiResource | undefined {
  // Subresources (deployments/scale) share their parent's kind in some groups.
  const resource = list.resources?.find(
    r => r.kind === kind && !r.name.includes('/'),
  );
  return resource && { name: resource.name, namespaced: resource.namespaced };
}

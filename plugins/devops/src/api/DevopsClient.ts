import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  Page,
  Pipeline,
  PipelineDocument,
  Run,
  RunPipelineRequest,
  Triggers,
  UpdatePipelineRequest,
} from '@devops-pipelines/plugin-devops-common';
import type {
  CopyPipelineRequest,
  DevopsApi,
  ListPipelinesOptions,
  ListRunsOptions,
  PipelineSettings,
  RerunOptions,
} from './DevopsApi';

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, for bodies that are not JSON (the YAML of an import). */
  text?: { body: string; contentType: string };
};

/**
 * Talks to the DevOps backend plugin through the app's fetch API, so requests carry
 * the user's Backstage token.
 *
 * @public
 */
export class DevopsClient implements DevopsApi {
  readonly #discoveryApi: DiscoveryApi;
  readonly #fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.#discoveryApi = options.discoveryApi;
    this.#fetchApi = options.fetchApi;
  }

  listPipelines(options: ListPipelinesOptions = {}): Promise<Page<Pipeline>> {
    return this.#request('/pipelines', { query: options });
  }

  getPipeline(id: string): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}`);
  }

  createPipeline(doc: PipelineDocument): Promise<Pipeline> {
    return this.#request('/pipelines', { method: 'POST', json: doc });
  }

  updatePipeline(
    id: string,
    request: UpdatePipelineRequest,
  ): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}`, {
      method: 'PUT',
      json: request,
    });
  }

  async deletePipeline(id: string): Promise<void> {
    await this.#fetch(`/pipelines/${encodeURIComponent(id)}`, {
      method: 'DELETE',
    });
  }

  copyPipeline(id: string, request: CopyPipelineRequest): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/copy`, {
      method: 'POST',
      json: request,
    });
  }

  updateTriggers(id: string, triggers: Triggers): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/triggers`, {
      method: 'PUT',
      json: triggers,
    });
  }

  updateSettings(id: string, settings: PipelineSettings): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/settings`, {
      method: 'PUT',
      json: settings,
    });
  }

  activatePipeline(id: string): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/activate`, {
      method: 'POST',
    });
  }

  deactivatePipeline(id: string): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/deactivate`, {
      method: 'POST',
    });
  }

  runPipeline(id: string, params?: RunPipelineRequest['params']): Promise<Run> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/runs`, {
      method: 'POST',
      json: params ? { params } : {},
    });
  }

  async stopPipeline(id: string): Promise<void> {
    await this.#fetch(`/pipelines/${encodeURIComponent(id)}/stop`, {
      method: 'POST',
    });
  }

  listRuns(
    pipelineId: string,
    options: ListRunsOptions = {},
  ): Promise<Page<Run>> {
    return this.#request(`/pipelines/${encodeURIComponent(pipelineId)}/runs`, {
      query: options,
    });
  }

  async exportPipeline(id: string): Promise<string> {
    const response = await this.#fetch(
      `/pipelines/${encodeURIComponent(id)}/export`,
    );
    return response.text();
  }

  importPipeline(yaml: string): Promise<Pipeline> {
    return this.#request('/pipelines/import', {
      method: 'POST',
      text: { body: yaml, contentType: 'application/yaml' },
    });
  }

  getRun(runId: string): Promise<Run> {
    return this.#request(`/runs/${encodeURIComponent(runId)}`);
  }

  rerun(runId: string, options: RerunOptions = {}): Promise<Run> {
    return this.#request(`/runs/${encodeURIComponent(runId)}/rerun`, {
      method: 'POST',
      json: options,
    });
  }

  async stopRun(runId: string): Promise<void> {
    await this.#fetch(`/runs/${encodeURIComponent(runId)}/stop`, {
      method: 'POST',
    });
  }

  async getLogDownloadUrl(runId: string): Promise<string> {
    return this.#url(`/runs/${encodeURIComponent(runId)}/logs/download`);
  }

  async #request<T>(path: string, options?: RequestOptions): Promise<T> {
    const response = await this.#fetch(path, options);
    return (await response.json()) as T;
  }

  async #fetch(path: string, options: RequestOptions = {}): Promise<Response> {
    const { method = 'GET', query, json, text } = options;
    const headers: Record<string, string> = {};
    let body: string | undefined;
    if (json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(json);
    } else if (text) {
      headers['Content-Type'] = text.contentType;
      body = text.body;
    }

    const response = await this.#fetchApi.fetch(await this.#url(path, query), {
      method,
      headers,
      body,
    });
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  async #url(
    path: string,
    query: RequestOptions['query'] = {},
  ): Promise<string> {
    const baseUrl = await this.#discoveryApi.getBaseUrl('devops');
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      // Empty filters mean "no filter"; sending `entityRef=` would ask for no entity.
      if (value !== undefined && value !== '') {
        search.set(key, String(value));
      }
    }
    const qs = search.toString();
    return `${baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }
}

import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  EventStreamContentType,
  fetchEventSource,
  type EventSourceMessage,
} from '@microsoft/fetch-event-source';
import type {
  ApplicationRegistration,
  CodeHostAccountSummary,
  CodeHostBranch,
  CodeHostPage,
  CodeHostProvider,
  CodeHostRepository,
  LogChunk,
  Page,
  Pipeline,
  PipelineDocument,
  PipelineTriggerState,
  Run,
  ChartVersions,
  DeployNamespaces,
  DeployTargetChoice,
  PipelineBindings,
  RunPipelineRequest,
  RunStatus,
  TaskTypeList,
  TriggerSettings,
  Triggers,
  UpdatePipelineRequest,
} from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import type {
  AvailableCluster,
  BindClusterRequest,
  ClusterBinding,
  ClusterList,
  CodeHostListOptions,
  ConnectAccountRequest,
  CopyPipelineRequest,
  DevopsApi,
  FollowRunOptions,
  ListPipelinesOptions,
  ListRunsOptions,
  PipelineSettings,
  RerunOptions,
  StreamRunLogOptions,
} from './DevopsApi';

type RequestOptions = {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, string | number | undefined>;
  /** Sent as JSON. */
  json?: unknown;
  /** Sent as is, for bodies that are not JSON (the YAML of an import). */
  text?: { body: string; contentType: string };
};

/** Reconnect delays double from 1 s up to 10 s while the backend stays unreachable. */
const RECONNECT_FIRST_MS = 1000;
const RECONNECT_MAX_MS = 10_000;

/** A refusal that retrying cannot fix: the run is gone, or access was withdrawn. */
class StreamRefusedError extends Error {
  constructor(readonly reason: Error) {
    super(reason.message);
  }
}

/** Server errors and throttling pass; other refusals would come back the same. */
const isTransient = (status: number) =>
  status >= 500 || status === 408 || status === 429;

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

  async mayCreatePipeline(entityRef?: string): Promise<boolean> {
    const { allowed } = await this.#request<{ allowed: boolean }>(
      '/pipelines/create-permission',
      { query: entityRef ? { entityRef } : {} },
    );
    return allowed;
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

  updateTriggers(
    id: string,
    triggers: Triggers,
    options: { manualWebhook?: boolean } = {},
  ): Promise<Pipeline> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/triggers`, {
      method: 'PUT',
      json: triggers,
      query: { webhook: options.manualWebhook ? 'manual' : undefined },
    });
  }

  getTriggerSettings(): Promise<TriggerSettings> {
    return this.#request('/triggers/settings');
  }

  listTaskTypes(): Promise<TaskTypeList> {
    return this.#request('/task-types');
  }

  getPipelineTriggers(id: string): Promise<PipelineTriggerState> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/triggers`);
  }

  listDeployTargets(
    entityRef: string,
    options: { cluster?: string } = {},
  ): Promise<{ items: DeployTargetChoice[] }> {
    return this.#request('/pipelines/deploy-targets', {
      query: { entityRef, cluster: options.cluster },
    });
  }

  listDeployNamespaces(
    entityRef: string,
    target: string,
    options: { cluster?: string } = {},
  ): Promise<DeployNamespaces> {
    return this.#request('/pipelines/deploy-targets/namespaces', {
      query: { entityRef, target, cluster: options.cluster },
    });
  }

  listChartVersions(entityRef: string, chart: string): Promise<ChartVersions> {
    return this.#request('/charts/versions', { query: { entityRef, chart } });
  }

  listPipelineBindings(id: string): Promise<PipelineBindings> {
    return this.#request(`/pipelines/${encodeURIComponent(id)}/bindings`);
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

  importPipeline(
    yaml: string,
    options: { name?: string } = {},
  ): Promise<Pipeline> {
    const query = options.name
      ? `?name=${encodeURIComponent(options.name)}`
      : '';
    return this.#request(`/pipelines/import${query}`, {
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

  async streamRunLog(
    runId: string,
    options: StreamRunLogOptions,
  ): Promise<void> {
    const { step, after, signal, onChunk, onEnd, onReconnecting } = options;
    const url = await this.#url(`/runs/${encodeURIComponent(runId)}/logs`, {
      follow: 'true',
      task: step,
      after,
    });
    // On reconnect the library sends the id of the last event, the chunk's seq, as
    // Last-Event-ID, which the backend prefers over `after`: nothing is sent twice.
    await this.#followEvents(url, {
      what: 'log stream',
      signal,
      onReconnecting,
      onEvent: message => {
        if (message.event === 'log') {
          onChunk(JSON.parse(message.data) as LogChunk);
          return false;
        }
        if (message.event === 'end') {
          onEnd?.((JSON.parse(message.data) as { status: RunStatus }).status);
          return true;
        }
        return false;
      },
    });
  }

  async followRun(runId: string, options: FollowRunOptions): Promise<void> {
    const { signal, onRun, onReconnecting } = options;
    const url = await this.#url(`/runs/${encodeURIComponent(runId)}`, {
      follow: 'true',
    });
    // A reconnect starts with the run as it is then: nothing to resume from.
    await this.#followEvents(url, {
      what: 'run stream',
      signal,
      onReconnecting,
      onEvent: message => {
        if (message.event !== 'run') return false;
        const run = JSON.parse(message.data) as Run;
        onRun(run);
        return isFinalStatus(run.status);
      },
    });
  }

  /**
   * Follows a stream of server-sent events until `onEvent` says it was the last one,
   * reconnecting (1 s, doubling to 10 s) after drops and server errors. Rejects on a
   * refusal a retry would not change; resolves on abort.
   */
  async #followEvents(
    url: string,
    options: {
      /** Names the stream in errors. */
      what: string;
      signal?: AbortSignal;
      /** True for the stream's last event. */
      onEvent: (message: EventSourceMessage) => boolean;
      onReconnecting?: (error: unknown) => void;
    },
  ): Promise<void> {
    const { what, signal, onEvent, onReconnecting } = options;
    // fetchEventSource only listens for a later abort, so it would open this one.
    if (signal?.aborted) {
      return;
    }
    let ended = false;
    let failures = 0;
    await fetchEventSource(url, {
      signal,
      // The app's fetch adds the user's token, which a browser EventSource cannot send.
      fetch: (input, init) => this.#fetchApi.fetch(input, init),
      // Keeps following in a background tab, so the page is current on coming back.
      openWhenHidden: true,
      onopen: async response => {
        const contentType = response.headers.get('Content-Type') ?? '';
        if (response.ok && contentType.startsWith(EventStreamContentType)) {
          failures = 0;
          return;
        }
        if (response.ok) {
          throw new StreamRefusedError(
            new Error(`Expected a ${what}, received ${contentType}`),
          );
        }
        const error = await ResponseError.fromResponse(response);
        throw isTransient(response.status)
          ? error
          : new StreamRefusedError(error);
      },
      onmessage: message => {
        if (onEvent(message)) ended = true;
      },
      onclose: () => {
        // A proxy or a restarting backend can end the response early; only the last
        // event is the end.
        if (!ended) {
          throw new Error(`The ${what} closed before the run ended`);
        }
      },
      onerror: error => {
        if (error instanceof StreamRefusedError) {
          throw error.reason;
        }
        onReconnecting?.(error);
        failures += 1;
        return Math.min(
          RECONNECT_FIRST_MS * 2 ** (failures - 1),
          RECONNECT_MAX_MS,
        );
      },
    });
  }

  async downloadRunLog(runId: string): Promise<string> {
    const response = await this.#fetch(
      `/runs/${encodeURIComponent(runId)}/logs/download`,
    );
    return response.text();
  }

  listClusters(): Promise<ClusterList> {
    return this.#request<ClusterList>('/clusters');
  }

  async listAvailableClusters(): Promise<AvailableCluster[]> {
    return (
      await this.#request<{ items: AvailableCluster[] }>('/clusters/available')
    ).items;
  }

  bindCluster(request: BindClusterRequest): Promise<ClusterBinding> {
    return this.#request('/clusters', { method: 'POST', json: request });
  }

  async unbindCluster(
    name: string,
    options: { force?: boolean } = {},
  ): Promise<void> {
    await this.#fetch(`/clusters/${encodeURIComponent(name)}`, {
      method: 'DELETE',
      query: { force: options.force ? 'true' : undefined },
    });
  }

  async listAccounts(): Promise<CodeHostAccountSummary[]> {
    return (
      await this.#request<{ items: CodeHostAccountSummary[] }>(
        '/repositories/accounts',
      )
    ).items;
  }

  getAccountRegistration(
    provider: CodeHostProvider,
  ): Promise<ApplicationRegistration> {
    return this.#request(`/repositories/${provider}/registration`);
  }

  connectAccount(
    provider: CodeHostProvider,
    request: ConnectAccountRequest,
  ): Promise<{ authorizeUrl: string }> {
    return this.#request(`/repositories/${provider}/connect`, {
      method: 'POST',
      json: request,
    });
  }

  async disconnectAccount(provider: CodeHostProvider): Promise<void> {
    await this.#fetch(`/repositories/${provider}`, { method: 'DELETE' });
  }

  listRepositories(
    provider: CodeHostProvider,
    options: CodeHostListOptions = {},
  ): Promise<CodeHostPage<CodeHostRepository>> {
    return this.#request(`/repositories/${provider}/repos`, {
      query: options,
    });
  }

  listBranches(
    provider: CodeHostProvider,
    repository: string,
    options: CodeHostListOptions = {},
  ): Promise<CodeHostPage<CodeHostBranch>> {
    return this.#request(`/repositories/${provider}/branches`, {
      query: { repository, ...options },
    });
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

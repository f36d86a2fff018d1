import { createApiRef } from '@backstage/core-plugin-api';
import type {
  ApplicationRegistration,
  AvailableCluster,
  ClusterBinding,
  ClusterList,
  CodeHostAccountSummary,
  ChartVersions,
  DeployNamespaces,
  DeployTargetChoice,
  CodeHostBranch,
  CodeHostPage,
  CodeHostProvider,
  CodeHostRepository,
  LogChunk,
  Page,
  Pipeline,
  PipelineBindings,
  PipelineDocument,
  PipelineSpec,
  PipelineTriggerState,
  Run,
  RunNotifications,
  RunPipelineRequest,
  RunStatus,
  TaskTypeList,
  TriggerSettings,
  Triggers,
  UpdatePipelineRequest,
} from '@devops-pipelines/plugin-devops-common';

export type {
  ApplicationRegistration,
  AvailableCluster,
  ClusterBinding,
  ClusterHealthState,
  ClusterList,
  ClusterUser,
  PipelineBindings,
  CodeHostAccountSummary,
  CodeHostBranch,
  CodeHostPage,
  CodeHostProvider,
  CodeHostRepository,
  RepositoryListSource,
} from '@devops-pipelines/plugin-devops-common';

/** @public */
export type ConnectAccountRequest = {
  clientId: string;
  clientSecret: string;
  /** A private or self-hosted host; the public one when left out. */
  baseUrl?: string;
};

/** @public */
export type CodeHostListOptions = {
  /** Only names containing this text (branches: starting with it). */
  search?: string;
  /** 1 for the first page; each page names the next in `nextPage`. */
  page?: number;
};

/** @public */
export type ListPipelinesOptions = {
  /** Only pipelines that belong to this catalog entity (their project). */
  entityRef?: string;
  /** Free-text search over names and titles. */
  q?: string;
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
};

/** @public */
export type ListRunsOptions = {
  limit?: number;
  cursor?: string;
};

/** @public */
export type CopyPipelineRequest = Pick<
  PipelineDocument['metadata'],
  'name' | 'title'
>;

/** @public */
export type PipelineSettings = Required<
  Pick<PipelineSpec, 'timeoutMinutes'>
> & {
  /** The binding to run on; null: the rule decides; left out: unchanged. */
  cluster?: string | null;
  /** Which ended runs notify the pipeline's owners; left out: unchanged. */
  notifications?: RunNotifications;
};

/** @public */
export type RerunOptions = {
  /** Run the branch head instead of the commit the original run used. */
  latestCommit?: boolean;
};

/** @public */
export type StreamRunLogOptions = {
  /**
   * Only the lines of this step: a task run's id, or a set-up step (`initialisation`, the
   * run's own lines, or `checkout`); every line when unset.
   */
  step?: string;
  /** The `seq` of the last chunk already shown: the stream starts after it. */
  after?: number;
  /** Aborting it closes the stream; the returned promise then resolves. */
  signal?: AbortSignal;
  /** Each chunk, in order, as soon as it arrives. */
  onChunk(chunk: LogChunk): void;
  /** The run is over and every chunk was sent. */
  onEnd?(status: RunStatus): void;
  /** The connection dropped; it is re-opened after the last chunk received. */
  onReconnecting?(error: unknown): void;
};

/** @public */
export type FollowRunOptions = {
  /** Aborting it closes the stream; the returned promise then resolves. */
  signal?: AbortSignal;
  /** The run as it is now: at once, then each time a status in it moves. */
  onRun(run: Run): void;
  /** The connection dropped; it is re-opened, starting with the run as it is then. */
  onReconnecting?(error: unknown): void;
};

/** @public */
export type BindClusterRequest = {
  name: string;
  /** The backend's configured default when unset. */
  namespace?: string;
  /** Catalog group refs (`team-a` or `group:default/team-a`); unset or empty: the whole portal. */
  scope?: string[];
};

/**
 * The DevOps backend's HTTP API (`/api/devops`), one method per route.
 *
 * @public
 */
export interface DevopsApi {
  listPipelines(options?: ListPipelinesOptions): Promise<Page<Pipeline>>;
  getPipeline(id: string): Promise<Pipeline>;
  /**
   * Whether the portal's permission policy would let the user create a pipeline for
   * `entityRef` (from scratch, by copy or by import), or, without one, for some entity.
   */
  mayCreatePipeline(entityRef?: string): Promise<boolean>;
  createPipeline(doc: PipelineDocument): Promise<Pipeline>;
  /** Fails with 409 when the pipeline changed since `request.version` was read. */
  updatePipeline(id: string, request: UpdatePipelineRequest): Promise<Pipeline>;
  deletePipeline(id: string): Promise<void>;
  copyPipeline(id: string, request: CopyPipelineRequest): Promise<Pipeline>;
  /**
   * Saves the trigger rules; turning event triggers on registers the repository's
   * webhook unless `manualWebhook` says the user registered it by hand.
   */
  updateTriggers(
    id: string,
    triggers: Triggers,
    options?: { manualWebhook?: boolean },
  ): Promise<Pipeline>;
  /** How the backend runs triggers: the time zone schedules fire in. */
  getTriggerSettings(): Promise<TriggerSettings>;
  /**
   * The task types the portal runs: the built-in ones first, then those its backend
   * modules registered, each with the fields the task dialog asks for.
   */
  listTaskTypes(): Promise<TaskTypeList>;
  /** A pipeline's next fire times and the latest fire times and deliveries that concerned it. */
  getPipelineTriggers(id: string): Promise<PipelineTriggerState>;
  updateSettings(id: string, settings: PipelineSettings): Promise<Pipeline>;
  /** Where pipelines of the entity may deploy (its binding, devops.deployTargets). */
  /**
   * The namespaces of cluster `target` a pipeline of the entity may deploy into, as the
   * cluster lists them; `cluster` is the pipeline's chosen binding, as for the targets.
   */
  listDeployNamespaces(
    entityRef: string,
    target: string,
    options?: { cluster?: string },
  ): Promise<DeployNamespaces>;
  /** The versions the portal's chart repository holds of a chart, newest first. */
  listChartVersions(entityRef: string, chart: string): Promise<ChartVersions>;
  listDeployTargets(
    entityRef: string,
    options?: { cluster?: string },
  ): Promise<{ items: DeployTargetChoice[] }>;
  /** The bindings that may run the pipeline, and the one it runs on now. */
  listPipelineBindings(id: string): Promise<PipelineBindings>;
  activatePipeline(id: string): Promise<Pipeline>;
  deactivatePipeline(id: string): Promise<Pipeline>;
  runPipeline(id: string, params?: RunPipelineRequest['params']): Promise<Run>;
  /** Stops the pipeline's latest running run. */
  stopPipeline(id: string): Promise<void>;
  /** Run records, newest first. */
  listRuns(pipelineId: string, options?: ListRunsOptions): Promise<Page<Run>>;
  /** The pipeline document as YAML, in the format `importPipeline` accepts. */
  exportPipeline(id: string): Promise<string>;
  /** Creates the pipeline a YAML document describes, under `name` if given. */
  importPipeline(yaml: string, options?: { name?: string }): Promise<Pipeline>;
  getRun(runId: string): Promise<Run>;
  rerun(runId: string, options?: RerunOptions): Promise<Run>;
  stopRun(runId: string): Promise<void>;
  /** Where the full log of a run downloads from, as a text/plain attachment. */
  getLogDownloadUrl(runId: string): Promise<string>;
  /**
   * Follows a run's log as the backend writes it, reconnecting after network drops
   * without losing or repeating chunks. Resolves at the run's end or on abort; rejects
   * when the backend refuses the request (the run is gone, access was withdrawn).
   */
  streamRunLog(runId: string, options: StreamRunLogOptions): Promise<void>;
  /**
   * Follows a run's statuses (the run's, its steps' and its tasks') as the backend writes
   * them, reconnecting after network drops. Resolves once the run's final state was
   * given, or on abort; rejects when the backend refuses the request.
   */
  followRun(runId: string, options: FollowRunOptions): Promise<void>;
  /**
   * The whole log of a run as text, every task's lines prefixed with its name; read
   * through the app's fetch because a plain link to the API would carry no token.
   */
  downloadRunLog(runId: string): Promise<string>;
  /** The bound clusters the user may see, with their health, and whether they may bind. */
  listClusters(): Promise<ClusterList>;
  /** Clusters of the portal's configuration that could be bound. */
  listAvailableClusters(): Promise<AvailableCluster[]>;
  /** Creates the namespace on the cluster and binds it; fails naming the cluster's refusal. */
  bindCluster(request: BindClusterRequest): Promise<ClusterBinding>;
  /**
   * Unbinds a cluster. Unless `force` is set, fails with 409 while pipelines use it,
   * listing them (see `ClusterUser`).
   */
  unbindCluster(name: string, options?: { force?: boolean }): Promise<void>;
  /** The signed-in user's own code host accounts. */
  listAccounts(): Promise<CodeHostAccountSummary[]>;
  /** What to register the OAuth application on the host with. */
  getAccountRegistration(
    provider: CodeHostProvider,
  ): Promise<ApplicationRegistration>;
  /** Saves the OAuth application; returns the host's page to authorize it on. */
  connectAccount(
    provider: CodeHostProvider,
    request: ConnectAccountRequest,
  ): Promise<{ authorizeUrl: string }>;
  /** Logs the user's account on the provider out. */
  disconnectAccount(provider: CodeHostProvider): Promise<void>;
  /**
   * The repositories the user's connected account can read, or without one those of the
   * portal's integration for the host; fails with 400 when neither exists.
   */
  listRepositories(
    provider: CodeHostProvider,
    options?: CodeHostListOptions,
  ): Promise<CodeHostPage<CodeHostRepository>>;
  /** The branches of the repository at this URL, read as `listRepositories` reads. */
  listBranches(
    provider: CodeHostProvider,
    repository: string,
    options?: CodeHostListOptions,
  ): Promise<CodeHostPage<CodeHostBranch>>;
}

/** @public */
export const devopsApiRef = createApiRef<DevopsApi>({
  id: 'plugin.devops.service',
});

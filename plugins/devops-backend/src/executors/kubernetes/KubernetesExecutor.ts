import type { LoggerService } from '@backstage/backend-plugin-api';
import type { CoreV1Api, KubeConfig, V1Secret } from '@kubernetes/client-node';
import { InputError } from '@backstage/errors';
import type { TaskResources } from '@devops-pipelines/plugin-devops-common';
import type { ClusterDirectory } from '../../clusters/types';
import { loadKubernetesClient } from '../../kubernetes/loadKubernetesClient';
import { withTimeout } from '../../clusters/kubernetesErrors';
import type { SourceCredentialsLookup } from '../../scm/gitCredentials';
import { checkRepositoryUrl, redactCredentials } from '../../scm/gitUrl';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
import { taskPodResources, type TaskResourceSettings } from './taskResources';
import type { BackendTaskPlan, PodTaskPlan, TaskToolSettings } from '../../tasks/types';
import type { TaskTypeRegistry } from '../../taskTypes/TaskTypeRegistry';
import type { RunContext, TaskContext, TaskExecutor, TaskResult } from '../types';
import { ClusterProblem, clusterProblemOf, describeError } from './clusterProblems';
import type { PodRetention } from './config';
import { runSelector, taskEnvSecretName, taskFilesSecretName, taskPodName } from './names';
import { buildRunSourceSecret, buildTaskEnvSecret, buildTaskFilesSecret, buildTaskPod } from './podSpec';
import { NamespacePodWatch } from './NamespacePodWatch';
import { SourceFiles } from './SourceFiles';
import { TaskPodRun } from './TaskPodRun';

/** No defaults and no maximums: a task's pod asks for what the task says, if anything. */
const NO_RESOURCE_SETTINGS: TaskResourceSettings = { defaults: {}, maximums: {} };

/** A request the API server does not answer in this time counts as the cluster unreachable. */
const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

/** Where a run's pods go: a bound cluster and its DevOps namespace. */
export type KubernetesTarget = { cluster: string; namespace: string };

export type { GitCredentials } from '../../scm/gitCredentials';

export type KubernetesExecutorOptions = {
  target: KubernetesTarget;
  clusters: ClusterDirectory;
  /** The task types it plans pods (or backend work) for: built-in and modules'. */
  taskTypes: TaskTypeRegistry;
  tools: TaskToolSettings;
  podRetention: PodRetention;
  imagePullTimeoutMs: number;
  /** Task pods' CPU and memory: the portal's defaults and maximums. Default: none. */
  taskResources?: TaskResourceSettings;
  /** Whether backend tasks may read `file://` repositories (devops.executor.local.allowFileUrls). */
  allowFileUrls: boolean;
  /**
   * Credentials for the repository of a run, put into a Secret made for the run (and
   * deleted with it) that the source init containers read. Undefined for public ones.
   */
  sourceCredentials?: SourceCredentialsLookup;
  logger?: LoggerService;
  requestTimeoutMs?: number;
  /**
   * Test hooks, for the kwok test cluster only: its fake nodes end pods as annotations
   * say, and a node selector no node has makes a pod unschedulable.
   */
  testHooks?: {
    podAnnotations?(ctx: TaskContext): Record<string, string> | undefined;
    nodeSelector?(ctx: TaskContext): Record<string, string> | undefined;
  };
};

type Clients = { kubeConfig: KubeConfig; core: CoreV1Api };

/** The task failed because of the cluster; it has been flagged. */
class ClusterProblemError extends Error {}

/**
 * Runs each task as a pod (restartPolicy Never) in the bound namespace, named from the
 * run, task and attempt so that an engine taking a run over attaches to the pod instead
 * of starting the task again. Backend tasks (Deploy YAML) run here, with the run's source
 * files and the portal's cluster credentials.
 */
export class KubernetesExecutor implements TaskExecutor {
  readonly #options: KubernetesExecutorOptions;
  /**
   * The cluster's clients per run, made once: reading the configuration (and a kubeconfig
   * file) for every task and its cleanup would repeat the same work on each task.
   */
  readonly #runClients = new Map<string, Promise<Clients>>();
  readonly #podWatch: NamespacePodWatch;

  constructor(options: KubernetesExecutorOptions) {
    this.#options = options;
    this.#podWatch = new NamespacePodWatch({
      namespace: options.target.namespace,
      connect: async () => {
        const [{ Watch }, { kubeConfig, core }] = await Promise.all([
          loadKubernetesClient(),
          this.#connect(),
        ]);
        return { core, watch: new Watch(kubeConfig) };
      },
    });
  }

  get target(): KubernetesTarget {
    return this.#options.target;
  }

  canReattach(): boolean {
    return true;
  }

  async initialiseRun(_run: RunContext, log: TaskContext['log']): Promise<void> {
    const { cluster, namespace } = this.#options.target;
    log.platform('Normal', `Tasks run as pods in namespace ${namespace} of cluster ${cluster}`);
  }

  async prepareRun(run: RunContext, log: TaskContext['log']): Promise<void> {
    const { namespace } = this.#options.target;
    if (!run.source) return;
    checkRepositoryUrl(run.source.repository, this.#options.allowFileUrls);
    if (isLocalRepository(run.source.repository)) {
      log.platform(
        'Warning',
        `The repository ${redactCredentials(run.source.repository)} is on the backend's disk: pods cannot clone it, only Deploy YAML tasks can read it`,
      );
    }
    const credentials = await this.#options.sourceCredentials?.(run.source);
    const clients = await this.#clients(run.runId);
    await this.#clusterCall(
      this.#apply(
        clients.core,
        buildRunSourceSecret({ namespace, run, repository: run.source.repository, credentials }),
      ),
    );
  }

  async execute(ctx: TaskContext): Promise<TaskResult> {
    if (ctx.signal.aborted) return { status: 'failed', message: 'The task was stopped before it started' };
    const { taskTypes, tools, clusters } = this.#options;
    const planner = taskTypes.kubernetesPlanner(ctx.task.type);
    if (!planner) {
      return {
        status: 'failed',
        message: taskTypes.cannotRun(ctx.task.type, 'kubernetes'),
      };
    }
    let plan;
    try {
      plan = await planner({
        task: ctx.task,
        env: ctx.env,
        source: ctx.run.source,
        tools,
        clusters,
      });
    } catch (error) {
      if (error instanceof TaskPlanError) return { status: 'failed', message: error.message };
      throw error;
    }
    let resources: TaskResources | undefined;
    try {
      resources = taskPodResources(ctx.task.resources, this.#options.taskResources ?? NO_RESOURCE_SETTINGS);
    } catch (error) {
      if (error instanceof InputError) return { status: 'failed', message: error.message };
      throw error;
    }
    try {
      return plan.kind === 'backend'
        ? await this.#runBackend(ctx, plan)
        : await this.#runPod(ctx, plan, resources);
    } catch (error) {
      if (error instanceof ClusterProblemError) return { status: 'failed', message: error.message };
      throw error;
    }
  }

  /**
   * Deletes the run's pods, unless `podRetention` keeps them for debugging (`failed`:
   * pods whose task failed), and always its Secrets, which hold variables and
   * credentials and are of no use once the pods have ended.
   */
  async cleanupRun(run: RunContext): Promise<void> {
    const { namespace } = this.#options.target;
    const { podRetention } = this.#options;
    const { core } = await this.#clients(run.runId);
    this.#runClients.delete(run.runId);
    const labelSelector = runSelector(run.runId);
    const call = <T>(request: Promise<T>) => this.#clusterCall(request);
    if (podRetention !== 'all') {
      const pods = await call(core.listNamespacedPod({ namespace, labelSelector }));
      const doomed = pods.items.filter(
        pod => podRetention === 'none' || pod.status?.phase !== 'Failed',
      );
      await Promise.all(
        doomed.map(pod =>
          call(core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace })).catch(
            ignoreNotFound,
          ),
        ),
      );
    }
    await call(core.deleteCollectionNamespacedSecret({ namespace, labelSelector }));
  }

  async #runBackend(ctx: TaskContext, plan: BackendTaskPlan): Promise<TaskResult> {
    const files = new SourceFiles(ctx.run.source, this.#options.allowFileUrls, this.#options.sourceCredentials);
    try {
      return await plan.run({
        log: ctx.log,
        signal: ctx.signal,
        readSourceFile: file => files.read(file),
        kubeConfig: name => this.#options.clusters.kubeConfig(name),
      });
    } finally {
      await files.dispose();
    }
  }

  async #runPod(ctx: TaskContext, plan: PodTaskPlan, resources: TaskResources): Promise<TaskResult> {
    const { target, tools, testHooks } = this.#options;
    const { namespace } = target;
    const { run, taskRunId, log } = ctx;
    const podName = taskPodName(run, taskRunId, ctx.attempt);
    const clients = await this.#clients(run.runId);
    const { core } = clients;
    const call = <T>(request: Promise<T>) => this.#clusterCall(request);

    // Secrets first: a pod whose Secret is missing would not start.
    await call(
      this.#apply(core, buildTaskEnvSecret({ podName, namespace, run, taskRunId, variables: ctx.env, plan })),
    );
    if (plan.secretFiles) {
      await call(
        this.#apply(
          core,
          buildTaskFilesSecret({ podName, namespace, run, taskRunId, files: plan.secretFiles.files }),
        ),
      );
    }
    const pod = buildTaskPod({
      name: podName,
      namespace,
      run,
      taskRunId,
      plan,
      resources,
      gitImage: tools.images.git,
      extraAnnotations: testHooks?.podAnnotations?.(ctx),
      nodeSelector: testHooks?.nodeSelector?.(ctx),
    });
    const createPod = async (): Promise<TaskResult | undefined> => {
      try {
        await call(core.createNamespacedPod({ namespace, body: pod }));
        log.platform('Normal', `Created pod ${namespace}/${podName} on cluster ${target.cluster}`);
      } catch (error) {
        if (!isConflict(error)) {
          if (error instanceof ClusterProblemError) throw error;
          return {
            status: 'failed',
            message: `The cluster refused the task's pod: ${describeError(error)}`,
          };
        }
        // Deterministic names: the pod of this very attempt exists, from before a takeover.
        log.platform(
          'Normal',
          `Pod ${namespace}/${podName} already exists (started before the run was taken over); following it, its output from where the log stopped`,
        );
      }
      return undefined;
    };

    const { Log } = await loadKubernetesClient();
    const result = await new TaskPodRun({
      ctx,
      core,
      pods: this.#podWatch,
      logApi: new Log(clients.kubeConfig),
      cluster: target.cluster,
      namespace,
      pod: podName,
      imagePullTimeoutMs: this.#options.imagePullTimeoutMs,
      onClusterProblem: problem => this.#report(problem),
    }).follow(createPod);

    // The pod no longer needs its variables; a retained pod is kept without them.
    await Promise.all(
      [taskEnvSecretName(podName), ...(plan.secretFiles ? [taskFilesSecretName(podName)] : [])].map(name =>
        core.deleteNamespacedSecret({ name, namespace }).catch(ignoreNotFound),
      ),
    ).catch(error => log.platform('Warning', `Could not delete the task's Secrets: ${describeError(error)}`));
    return result;
  }

  #clients(runId: string): Promise<Clients> {
    let clients = this.#runClients.get(runId);
    if (!clients) {
      clients = this.#connect();
      this.#runClients.set(runId, clients);
      // A failed attempt is not kept: the next task tries again.
      clients.catch(() => this.#runClients.delete(runId));
    }
    return clients;
  }

  async #connect(): Promise<Clients> {
    const { CoreV1Api } = await loadKubernetesClient();
    const kubeConfig = await this.#options.clusters.kubeConfig(this.#options.target.cluster);
    return { kubeConfig, core: kubeConfig.makeApiClient(CoreV1Api) };
  }

  /** Creates a Secret, or replaces the one left by an engine that stopped. */
  async #apply(core: CoreV1Api, secret: V1Secret): Promise<void> {
    const { name, namespace } = secret.metadata as { name: string; namespace: string };
    try {
      await core.createNamespacedSecret({ namespace, body: secret });
    } catch (error) {
      if (!isConflict(error)) throw error;
      await core.replaceNamespacedSecret({ name, namespace, body: secret });
    }
  }

  /**
   * A request to the cluster, bounded in time; a problem of the cluster itself (down,
   * credentials refused, namespace gone) flags the cluster and fails the task fast.
   */
  async #clusterCall<T>(request: Promise<T>): Promise<T> {
    const { target } = this.#options;
    try {
      return await withTimeout(request, this.#options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    } catch (error) {
      const problem = clusterProblemOf(error, target.cluster, target.namespace);
      if (!problem) throw error;
      this.#report(problem);
      throw new ClusterProblemError(problem.message);
    }
  }

  #report(problem: ClusterProblem) {
    this.#options.clusters
      .reportProblem(this.#options.target.cluster, problem.health, problem.message)
      .catch(error =>
        this.#options.logger?.warn(
          `Could not flag cluster ${this.#options.target.cluster}: ${error}`,
        ),
      );
  }
}

function isConflict(error: unknown): boolean {
  return (error as { code?: number }).code === 409;
}

function ignoreNotFound(error: unknown) {
  if ((error as { code?: number }).code !== 404) throw error;
}

function isLocalRepository(repository: string): boolean {
  return repository.startsWith('file:') || repository.startsWith('/');
}

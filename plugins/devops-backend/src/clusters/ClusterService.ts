import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import type { KubeConfig } from '@kubernetes/client-node';
import type { DatabaseClusterStore } from '../database/DatabaseClusterStore';
import type { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { KnownCluster, kubeConfigFor, readKnownClusters } from '../kubernetes/knownClusters';
import { bindingNamespace } from './bindingNamespace';
import { applicableBindings, explainBinding, hasScopedBindings, type BindingChoice } from './chooseBinding';
import type { EntityOwners } from '../catalog/entityOwners';
import { describeKubernetesError } from './kubernetesErrors';
import { pipelinesUsingCluster } from './pipelinesUsingCluster';
import { ClusterHealth, REMOVED_FROM_CONFIG, healthOf, probeCluster } from './probeCluster';
import { provisionNamespace } from './provisionNamespace';
import type { ClusterBinding, ClusterDirectory, ClusterHealthState, PipelineBindingKey } from './types';
import type { AvailableCluster, ClusterUser, PipelineBindings } from '@devops-pipelines/plugin-devops-common';

export type BindClusterRequest = {
  name: string;
  /** Defaults to `<devops.kubernetes.namespacePrefix>-<cluster name>`. */
  namespace?: string;
  /** Catalog group refs; empty or unset binds it for the whole portal. */
  scope?: string[];
  createdBy: string;
};

/** Pipelines the 409's message names; the `pipelines` field of the answer has them all. */
const NAMED_IN_MESSAGE = 10;

/**
 * Unbinding would leave pipelines without their cluster. The answer lists them in its
 * `pipelines` field (serialized with the error), so the page can show and link them.
 */
export class ClusterInUseError extends ConflictError {
  constructor(clusterName: string, readonly pipelines: ClusterUser[]) {
    const named = pipelines.slice(0, NAMED_IN_MESSAGE).map(p => `${p.name} of ${p.entityRef}`);
    if (pipelines.length > NAMED_IN_MESSAGE) {
      named.push(`${pipelines.length - NAMED_IN_MESSAGE} more`);
    }
    super(
      `Cluster '${clusterName}' is used by ${pipelines.length} pipeline${pipelines.length === 1 ? '' : 's'} (${named.join(
        ', ',
      )}); they stop working until another binding covers them or their deploy tasks name another cluster. Unbind with force=true to go ahead`,
    );
  }
}

/**
 * Bound clusters: binding (which prepares the namespace on the cluster), unbinding,
 * their health, and which one a pipeline runs on. The configuration is read on each
 * call, so a cluster removed from it is seen as removed without a restart.
 */
export class ClusterService implements ClusterDirectory {
  readonly #config: Config;
  readonly #store: DatabaseClusterStore;
  readonly #pipelines: DatabasePipelineStore;
  readonly #owners: EntityOwners;
  readonly #namespacePrefix: string;
  readonly #logger: LoggerService;

  constructor(options: {
    config: Config;
    store: DatabaseClusterStore;
    pipelines: DatabasePipelineStore;
    owners: EntityOwners;
    /** Bindings that name no namespace get `<prefix>-<cluster name>`. */
    namespacePrefix: string;
    logger: LoggerService;
  }) {
    this.#config = options.config;
    this.#store = options.store;
    this.#pipelines = options.pipelines;
    this.#owners = options.owners;
    this.#namespacePrefix = options.namespacePrefix;
    this.#logger = options.logger;
  }

  list(): Promise<ClusterBinding[]> {
    return this.#store.list();
  }

  async available(): Promise<AvailableCluster[]> {
    const bound = new Set((await this.#store.list()).map(b => b.name));
    return (await readKnownClusters(this.#config))
      .filter(cluster => !bound.has(cluster.name))
      .map(({ name, title, url, source }) => ({
        name,
        ...(title ? { title } : {}),
        url,
        source,
        defaultNamespace: bindingNamespace(this.#namespacePrefix, name),
      }));
  }

  /**
   * Prepares the cluster (namespace, service account, role) and stores the binding. A
   * cluster that refuses leaves nothing stored, and the error names it and the reason.
   */
  async bind(request: BindClusterRequest): Promise<ClusterBinding> {
    const { name, createdBy } = request;
    const namespace = request.namespace ?? bindingNamespace(this.#namespacePrefix, name);
    const cluster = (await readKnownClusters(this.#config)).find(c => c.name === name);
    if (!cluster) throw new InputError(unknownClusterMessage(name));
    const existing = await this.#store.get(name);
    if (existing) {
      throw new ConflictError(
        `Cluster '${name}' is already bound (namespace '${existing.namespace}'); unbind it first to bind it again`,
      );
    }
    const kubeConfig = await kubeConfigFor(cluster);
    try {
      await provisionNamespace(kubeConfig, namespace);
    } catch (error) {
      throw bindError(name, namespace, error);
    }
    const binding = await this.#store.create({
      name,
      namespace,
      scope: request.scope ?? [],
      createdBy,
      health: 'healthy',
    });
    this.#logger.info(`Cluster '${name}' bound by ${createdBy}, namespace '${namespace}'`);
    return binding;
  }

  /**
   * Removes a binding. While pipelines use the cluster it is refused with the list of
   * them, unless forced. What binding created on the cluster is left there: the cluster
   * may be bound again, and removing a namespace is the cluster admin's decision.
   */
  async unbind(name: string, options: { force?: boolean; by: string }): Promise<void> {
    const bindings = await this.#store.list();
    if (!bindings.some(b => b.name === name)) {
      throw new NotFoundError(`Cluster '${name}' is not bound`);
    }
    if (!options.force) {
      const users = await this.#usersOf(name, bindings);
      if (users.length > 0) throw new ClusterInUseError(name, users);
    }
    await this.#store.delete(name);
    this.#logger.info(`Cluster '${name}' unbound by ${options.by}`);
  }

  /** The pipelines that would be left without the cluster if it were unbound. */
  #usersOf(name: string, bindings: ClusterBinding[]): Promise<ClusterUser[]> {
    return pipelinesUsingCluster({
      clusterName: name,
      bindings,
      pipelines: this.#pipelines,
      owners: this.#owners,
    });
  }

  async bindingForPipeline(pipeline: PipelineBindingKey): Promise<BindingChoice | undefined> {
    const { bindings, owners } = await this.#bindingsWithOwners(pipeline.entityRef);
    return explainBinding(bindings, owners, pipeline.cluster);
  }

  /** The bindings that may run the pipeline, the one it runs on now and why. */
  async bindingsForPipeline(pipeline: PipelineBindingKey): Promise<PipelineBindings> {
    const { bindings, owners } = await this.#bindingsWithOwners(pipeline.entityRef);
    const current = explainBinding(bindings, owners, pipeline.cluster);
    return {
      items: applicableBindings(bindings, owners).map(({ name, namespace, scope, health }) => ({
        name,
        namespace,
        scope,
        health,
      })),
      ...(current ? { current: { name: current.binding.name, reason: current.reason } } : {}),
      ...(pipeline.cluster ? { chosen: pipeline.cluster } : {}),
    };
  }

  async #bindingsWithOwners(entityRef: string) {
    const bindings = await this.#store.list();
    // The catalog is only asked when a scoped binding makes the owner matter.
    const owners = hasScopedBindings(bindings) ? (await this.#owners([entityRef])).get(entityRef) ?? [] : [];
    return { bindings, owners };
  }

  async hasBindings(): Promise<boolean> {
    return (await this.#store.count()) > 0;
  }

  async kubeConfig(clusterName: string): Promise<KubeConfig> {
    const cluster = (await readKnownClusters(this.#config)).find(c => c.name === clusterName);
    if (!cluster) throw new NotFoundError(unknownClusterMessage(clusterName));
    return kubeConfigFor(cluster);
  }

  async reportProblem(clusterName: string, health: ClusterHealthState, message: string): Promise<void> {
    // Deploy targets need not be bound; only a binding has a health to show.
    await this.#store.setHealth(clusterName, health, message);
  }

  /** Checks every binding once and records what it saw (the scheduled health check). */
  async checkHealth(): Promise<void> {
    const known = new Map((await readKnownClusters(this.#config)).map(c => [c.name, c]));
    // In parallel: each probe is bounded by its timeout, and one slow cluster must not
    // delay what the page shows for the others.
    await Promise.all(
      (await this.#store.list()).map(async binding => {
        const health = await this.#check(binding, known.get(binding.name));
        if (health.health !== binding.health) {
          const level = health.health === 'healthy' ? 'info' : 'warn';
          this.#logger[level](
            `Cluster '${binding.name}' is now ${health.health}${health.message ? `: ${health.message}` : ''}`,
          );
        }
        await this.#store.setHealth(binding.name, health.health, health.message);
      }),
    );
  }

  async #check(binding: ClusterBinding, cluster: KnownCluster | undefined): Promise<ClusterHealth> {
    if (!cluster) return REMOVED_FROM_CONFIG;
    let kubeConfig: KubeConfig;
    try {
      kubeConfig = await kubeConfigFor(cluster);
    } catch (error) {
      // The configuration names an auth provider DevOps cannot act with.
      return { health: 'unauthorized', message: `credentials refused: ${(error as Error).message}` };
    }
    return probeCluster(kubeConfig, binding.namespace);
  }
}

function unknownClusterMessage(name: string) {
  return `The portal knows no Kubernetes cluster named '${name}'; configure it under kubernetes.clusterLocatorMethods (type config) or in the kubeconfig file named by devops.kubernetes.kubeconfig`;
}

/** A bad request (an invalid namespace name) is the caller's; anything else is the cluster's. */
function bindError(clusterName: string, namespace: string, error: unknown): Error {
  const problem = describeKubernetesError(error);
  const prefix = `Cannot bind cluster '${clusterName}' (namespace '${namespace}')`;
  if (problem.kind === 'invalid') {
    return new InputError(`${prefix}: the cluster refused the request: ${problem.reason}`);
  }
  return new ServiceUnavailableError(`${prefix}: ${healthOf(problem).message}`);
}

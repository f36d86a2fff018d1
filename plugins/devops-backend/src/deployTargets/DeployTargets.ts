import { NotAllowedError } from '@backstage/errors';
import {
  referencedVariables,
  type DeployTargetChoice,
  type PipelineDocument,
} from '@devops-pipelines/plugin-devops-common';
import type { CatalogProjects } from '../catalog/CatalogProjects';
import { normalizeRef } from '../catalog/entityOwners';
import type { ClusterDirectory, PipelineBindingKey } from '../clusters/types';
import { deployTasksOf } from './deployTasks';
import { allowsNamespace, type DeployTargetRule } from './readDeployTargets';

export type DeployTarget = { cluster: string; namespace: string };

/** Where one project's pipelines may deploy. */
type Allowed = { boundCluster?: string; rules: DeployTargetRule[] };

/**
 * Where a pipeline may deploy with the portal's cluster credentials (issue 9): the
 * cluster its runs are bound to, in any namespace, and the clusters and namespaces
 * `devops.deployTargets` gives its project (its entity, or a group that owns it or that
 * its owner is nested in). Anything else is refused, when the pipeline is saved and
 * again when the task runs.
 */
export class DeployTargets {
  constructor(
    private readonly options: {
      rules: DeployTargetRule[];
      clusters: Pick<ClusterDirectory, 'bindingForPipeline'>;
      projects: Pick<CatalogProjects, 'ownersWithParents'>;
    },
  ) {}

  /**
   * The clusters a pipeline may deploy to, each with its namespaces where they are
   * limited (names and `*` patterns): what the task dialog suggests.
   */
  async targetsFor(
    pipeline: PipelineBindingKey,
  ): Promise<DeployTargetChoice[]> {
    const { boundCluster, rules } = await this.#allowed(pipeline);
    const byCluster = new Map<string, DeployTargetChoice>();
    if (boundCluster)
      byCluster.set(boundCluster, { cluster: boundCluster, bound: true });
    for (const rule of rules) {
      const known = byCluster.get(rule.cluster);
      // Any namespace (the binding, or a rule without namespaces) wins over a list.
      const namespaces =
        known && !known.namespaces
          ? undefined
          : [...(known?.namespaces ?? []), ...(rule.namespaces ?? [])];
      byCluster.set(rule.cluster, {
        cluster: rule.cluster,
        ...(known?.bound ? { bound: true } : {}),
        ...(rule.namespaces && namespaces ? { namespaces } : {}),
      });
    }
    return [...byCluster.values()];
  }

  /**
   * Of `namespaces` of `cluster`, those a pipeline may deploy into. Throws NotAllowedError
   * when it may deploy to no namespace of that cluster.
   */
  async allowedNamespaces(
    pipeline: PipelineBindingKey,
    cluster: string,
    namespaces: string[],
  ): Promise<string[]> {
    const allowed = await this.#allowed(pipeline);
    if (
      cluster !== allowed.boundCluster &&
      !allowed.rules.some(rule => rule.cluster === cluster)
    ) {
      throw new NotAllowedError(
        `pipelines of ${pipeline.entityRef} may not deploy to cluster '${cluster}'; they may deploy to ${describeAllowed(
          allowed,
        )}`,
      );
    }
    return namespaces.filter(namespace =>
      allows(allowed, { cluster, namespace }),
    );
  }

  /** Why the pipeline may not deploy to `target`; undefined when it may. */
  async refusal(
    pipeline: PipelineBindingKey,
    target: DeployTarget,
  ): Promise<string | undefined> {
    return refusalOf(pipeline.entityRef, target, await this.#allowed(pipeline));
  }

  /**
   * Throws NotAllowedError naming the first deploy task whose target the pipeline may not
   * deploy to. A target that names a variable is known, and checked, only at run time.
   */
  async checkDocument(document: PipelineDocument): Promise<void> {
    const tasks = deployTasksOf(document.spec).filter(
      task =>
        referencedVariables(`${task.cluster} ${task.namespace}`).length === 0,
    );
    if (tasks.length === 0) return;
    const { entityRef } = document.metadata;
    const allowed = await this.#allowed({
      entityRef,
      cluster: document.spec.cluster,
    });
    for (const task of tasks) {
      const refusal = refusalOf(entityRef, task, allowed);
      if (refusal) throw new NotAllowedError(`Task "${task.name}": ${refusal}`);
    }
  }

  async #allowed(pipeline: PipelineBindingKey): Promise<Allowed> {
    const { rules, clusters, projects } = this.options;
    const { entityRef } = pipeline;
    const boundCluster = (await clusters.bindingForPipeline(pipeline))?.binding
      .name;
    const entity = normalizeRef(entityRef);
    const groups = rules.some(rule => rule.groups.length)
      ? new Set(await projects.ownersWithParents(entityRef))
      : new Set<string>();
    return {
      boundCluster,
      rules: rules.filter(
        rule =>
          rule.entities.includes(entity) ||
          rule.groups.some(group => groups.has(group)),
      ),
    };
  }
}

function allows(allowed: Allowed, target: DeployTarget): boolean {
  return (
    target.cluster === allowed.boundCluster ||
    allowed.rules.some(
      rule =>
        rule.cluster === target.cluster &&
        allowsNamespace(rule, target.namespace),
    )
  );
}

function refusalOf(
  entityRef: string,
  target: DeployTarget,
  allowed: Allowed,
): string | undefined {
  if (allows(allowed, target)) return undefined;
  return `pipelines of ${entityRef} may not deploy to namespace '${
    target.namespace
  }' of cluster '${target.cluster}'; they may deploy to ${describeAllowed(
    allowed,
  )}. An admin gives a project more clusters in devops.deployTargets`;
}

/** Several names, or a pattern that stands for several. */
const plural = (namespaces: string[]) =>
  namespaces.length > 1 || namespaces[0].includes('*');

/** "cluster 'local' (their runs' binding) and namespaces web-* of cluster 'staging'" */
function describeAllowed({ boundCluster, rules }: Allowed): string {
  const targets = rules.map(rule =>
    rule.namespaces
      ? `${
          plural(rule.namespaces) ? 'namespaces' : 'namespace'
        } ${rule.namespaces.join(', ')} of cluster '${rule.cluster}'`
      : `cluster '${rule.cluster}'`,
  );
  if (boundCluster)
    targets.unshift(`cluster '${boundCluster}' (their runs' binding)`);
  return targets.length
    ? targets.join(' and ')
    : 'no cluster (none is bound for them)';
}

import type { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import type { PipelineRecord } from '../database/types';
import { chooseBinding, hasScopedBindings } from './chooseBinding';
import type { EntityOwners } from '../catalog/entityOwners';
import { deployTasksOf } from '../deployTargets/deployTasks';
import type { ClusterBinding } from './types';
import type { ClusterUser } from '@devops-pipelines/plugin-devops-common';

const PAGE_SIZE = 500;

/**
 * The pipelines that use a cluster: those a deploy task of which names it, and those
 * whose runs execute on its binding because it is the binding that covers them.
 */
export async function pipelinesUsingCluster(options: {
  clusterName: string;
  bindings: ClusterBinding[];
  pipelines: DatabasePipelineStore;
  owners: EntityOwners;
}): Promise<ClusterUser[]> {
  const { clusterName, bindings, pipelines, owners } = options;
  const users: ClusterUser[] = [];
  for (let offset = 0; ; offset += PAGE_SIZE) {
    const { items } = await pipelines.list({ limit: PAGE_SIZE, offset });
    // Owners are only needed, and the catalog only asked, when some binding is scoped.
    const ownersByRef = hasScopedBindings(bindings)
      ? await owners(items.map(p => p.document.metadata.entityRef))
      : new Map<string, string[]>();
    for (const pipeline of items) {
      const uses: ClusterUser['uses'] = [];
      const binding = chooseBinding(
        bindings,
        ownersByRef.get(pipeline.document.metadata.entityRef) ?? [],
        pipeline.document.spec.cluster,
      );
      if (binding?.name === clusterName) uses.push('runs');
      if (deploysTo(pipeline, clusterName)) uses.push('deploys');
      if (uses.length > 0) users.push(toUser(pipeline, uses));
    }
    if (items.length < PAGE_SIZE) return users;
  }
}

/** A `${VAR}` in a task's cluster field is only known at run time, so it is not counted. */
function deploysTo(pipeline: PipelineRecord, clusterName: string): boolean {
  return deployTasksOf(pipeline.document.spec).some(
    task => task.cluster === clusterName,
  );
}

function toUser(
  pipeline: PipelineRecord,
  uses: ClusterUser['uses'],
): ClusterUser {
  const { name, title, entityRef } = pipeline.document.metadata;
  return {
    id: pipeline.id,
    name,
    ...(title ? { title } : {}),
    entityRef,
    uses,
  };
}

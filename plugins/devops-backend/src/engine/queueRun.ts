import { ConflictError } from '@backstage/errors';
import type { RunTrigger } from '@devops-pipelines/plugin-devops-common';
import { BUILT_IN_VARIABLES } from '@devops-pipelines/plugin-devops-common';
import { InputError } from '@backstage/errors';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { PipelineRecord, RunRecord } from '../database/types';

/**
 * Queues a run of a pipeline as it is now. Every way of starting a pipeline (the run
 * button, save-and-run, timers, webhooks) comes through here; re-runs use the snapshot.
 */
export async function queueRun(
  runs: DatabaseRunStore,
  pipeline: PipelineRecord,
  trigger: RunTrigger,
  params: Record<string, string> = {},
): Promise<RunRecord> {
  if (!pipeline.active) {
    throw new ConflictError(
      `Pipeline "${pipeline.document.metadata.name}" is inactive; activate it to run it`,
    );
  }
  const reserved = Object.keys(params).filter(name =>
    (BUILT_IN_VARIABLES as readonly string[]).includes(name),
  );
  if (reserved.length) {
    throw new InputError(
      `params: ${reserved.join(', ')} ${reserved.length > 1 ? 'are' : 'is a'} built-in variable${reserved.length > 1 ? 's' : ''} and cannot be set`,
    );
  }
  return runs.createRun({
    pipelineId: pipeline.id,
    pipelineName: pipeline.document.metadata.name,
    trigger,
    spec: pipeline.document.spec,
    secrets: pipeline.secrets,
    params,
  });
}

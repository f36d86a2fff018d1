import { ConflictError, InputError } from '@backstage/errors';
import type { RunTrigger } from '@devops-pipelines/plugin-devops-common';
import { BUILT_IN_VARIABLES } from '@devops-pipelines/plugin-devops-common';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import type { NewRun, PipelineRecord, RunRecord } from '../database/types';
import { secretsWithoutValue } from '../secrets/parameters';

function assertActive(pipeline: PipelineRecord) {
  if (!pipeline.active) {
    throw new ConflictError(
      `Pipeline "${pipeline.document.metadata.name}" is inactive; activate it to run it`,
    );
  }
}

/**
 * A pipeline runs only with every secret value at hand: an import holds none (exports
 * leave them out), and values sealed with another devops.encryptionKey cannot be read.
 */
function assertSecretsReadable(pipeline: PipelineRecord) {
  const unset = secretsWithoutValue(pipeline.document.spec, pipeline.secrets);
  if (!unset.length) return;
  const names = unset.map(n => `"${n}"`).join(', ');
  const several = unset.length > 1;
  const why = pipeline.secretsUnreadable
    ? `cannot be decrypted with this backend's devops.encryptionKey (${
        several ? 'they were' : 'it was'
      } stored with another key)`
    : `${
        several ? 'have' : 'has'
      } no value (exported pipelines leave secret values out)`;
  throw new ConflictError(
    `Pipeline "${
      pipeline.document.metadata.name
    }" cannot run: the secret parameter${
      several ? 's' : ''
    } ${names} ${why}; edit the pipeline and set ${
      several ? 'them' : 'it'
    } again`,
  );
}

/**
 * Refuses to start a pipeline that may not run now: inactive, or without every secret
 * value. Every way of starting a pipeline (the run button, save-and-run, timers,
 * webhooks) comes through here, so each gets the same checks and the same words.
 */
export function assertRunnable(pipeline: PipelineRecord) {
  assertActive(pipeline);
  assertSecretsReadable(pipeline);
}

/** A run of the pipeline as it is now; the caller has checked it with assertRunnable. */
export function newRunOf(
  pipeline: PipelineRecord,
  trigger: RunTrigger,
  source: {
    commit?: string;
    branch?: string;
    params?: Record<string, string>;
  } = {},
): NewRun {
  return {
    pipelineId: pipeline.id,
    pipelineName: pipeline.document.metadata.name,
    trigger,
    spec: pipeline.document.spec,
    secrets: pipeline.secrets,
    params: source.params ?? {},
    commit: source.commit,
    branch: source.branch,
  };
}

/** Queues a run of a pipeline as it is now, with values given by the user. */
export async function queueRun(
  runs: DatabaseRunStore,
  pipeline: PipelineRecord,
  trigger: RunTrigger,
  params: Record<string, string> = {},
): Promise<RunRecord> {
  assertRunnable(pipeline);
  const reserved = Object.keys(params).filter(name =>
    (BUILT_IN_VARIABLES as readonly string[]).includes(name),
  );
  if (reserved.length) {
    throw new InputError(
      `params: ${reserved.join(', ')} ${
        reserved.length > 1 ? 'are' : 'is a'
      } built-in variable${reserved.length > 1 ? 's' : ''} and cannot be set`,
    );
  }
  return runs.createRun(newRunOf(pipeline, trigger, { params }));
}

/**
 * Queues a repeat of a run with that run's snapshot, not the pipeline as it is now
 * (SPEC §3): same configuration, same commit unless the branch head is asked for.
 */
export async function queueRerun(
  runs: DatabaseRunStore,
  pipeline: PipelineRecord,
  run: RunRecord,
  trigger: RunTrigger,
  options: { latestCommit?: boolean } = {},
): Promise<RunRecord> {
  assertActive(pipeline);
  if (run.secretsUnreadable) {
    throw new ConflictError(
      `Run #${run.buildId} cannot be repeated: its secret values cannot be decrypted with this backend's devops.encryptionKey (they were stored with another key); start a new run instead`,
    );
  }
  return runs.createRun({
    pipelineId: run.pipelineId,
    pipelineName: run.pipelineName,
    trigger: { ...trigger, rerunOf: run.buildId },
    spec: run.spec,
    secrets: run.secrets,
    params: run.params,
    commit: options.latestCommit ? undefined : run.commit,
    branch: run.branch,
  });
}

import {
  builtInVariables,
  mergeVariables,
} from '@devops-pipelines/plugin-devops-common';
import type { RunRecord, TaskRunRecord } from '../database/types';
import { parameterValues } from '../secrets/parameters';

/**
 * The variables a task sees: built-ins, static parameters (secret ones included), the
 * values given with the run, and what earlier tasks wrote to $DEVOPS_OUTPUT, in the
 * order they ran.
 */
export function variablesForTask(
  run: RunRecord,
  earlierTasks: TaskRunRecord[],
): Record<string, string> {
  const outputs = earlierTasks
    .filter(t => t.status === 'succeeded' && t.outputs)
    .map(t => t.outputs!);
  return mergeVariables(
    builtInVariables({
      buildId: run.buildId,
      pipelineName: run.pipelineName,
      pipelineId: run.pipelineId,
      trigger: run.trigger,
      commit: run.commit,
      branch: run.branch,
      tag: run.trigger.tag,
    }),
    parameterValues(run.spec, run.secrets),
    run.params,
    ...outputs,
  );
}

/** Values the logs must never show. */
export function secretValues(run: RunRecord): string[] {
  return Object.values(run.secrets);
}

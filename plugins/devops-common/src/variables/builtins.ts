import type { RunTrigger } from '../model/run';
import { setVariable } from './setVariable';

/** Names the platform defines for every run; parameters cannot override them. */
export const BUILT_IN_VARIABLES = [
  'BUILD_ID',
  'GIT_COMMIT',
  'GIT_BRANCH',
  'GIT_TAG',
  'PIPELINE_NAME',
  'PIPELINE_ID',
  'TRIGGER',
] as const;

/** Whether a name is one of the built-in variables, which nothing else may define. */
export function isBuiltInVariable(name: string): boolean {
  return (BUILT_IN_VARIABLES as readonly string[]).includes(name);
}

/** @public */
export type BuiltInVariableContext = {
  buildId: number;
  pipelineName: string;
  pipelineId: string;
  trigger: RunTrigger;
  commit?: string;
  branch?: string;
  tag?: string;
};

export function builtInVariables(
  ctx: BuiltInVariableContext,
): Record<string, string> {
  return {
    BUILD_ID: String(ctx.buildId),
    GIT_COMMIT: ctx.commit ?? '',
    GIT_BRANCH: ctx.branch ?? '',
    GIT_TAG: ctx.tag ?? '',
    PIPELINE_NAME: ctx.pipelineName,
    PIPELINE_ID: ctx.pipelineId,
    TRIGGER: ctx.trigger.type,
  };
}

/**
 * The variables a task sees. Later sources win: static parameters, then values given
 * with a manual run, then dynamic outputs of earlier tasks; built-ins win over all.
 */
export function mergeVariables(
  builtIns: Record<string, string>,
  ...layers: Array<Record<string, string> | undefined>
): Record<string, string> {
  const merged: Record<string, string> = {};
  for (const layer of [...layers, builtIns]) {
    for (const [name, value] of Object.entries(layer ?? {}))
      setVariable(merged, name, value);
  }
  return merged;
}

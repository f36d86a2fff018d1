import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import { devopsPipelineReadPermission } from '@devops-pipelines/plugin-devops-common';
import { Request } from 'express';
import { RouterOptions } from './types';

/**
 * The pipeline with this id if the caller may see it; one they may not see does not
 * exist for them. The routes and the actions registry's actions both look up this way.
 */
export async function findReadablePipeline(
  options: Pick<RouterOptions, 'authorizer' | 'pipelines'>,
  credentials: BackstageCredentials,
  id: string,
) {
  const pipeline = await options.pipelines.get(id);
  if (
    !pipeline ||
    !(await options.authorizer.isAllowed(
      credentials,
      devopsPipelineReadPermission,
      pipeline,
    ))
  ) {
    throw new NotFoundError(`No pipeline with id ${id}`);
  }
  return pipeline;
}

/** A run with its pipeline, if the caller may see that pipeline; else it does not exist. */
export async function findReadableRun(
  options: Pick<RouterOptions, 'authorizer' | 'pipelines' | 'runs'>,
  credentials: BackstageCredentials,
  runId: string,
) {
  const run = await options.runs.getRun(runId);
  const pipeline = run && (await options.pipelines.get(run.pipelineId));
  if (
    !run ||
    !pipeline ||
    !(await options.authorizer.isAllowed(
      credentials,
      devopsPipelineReadPermission,
      pipeline,
    ))
  ) {
    throw new NotFoundError(`No run with id ${runId}`);
  }
  return { run, pipeline };
}

/** Loads the pipeline of `:id` if the caller may see it (findReadablePipeline). */
export async function readablePipeline(
  options: Pick<RouterOptions, 'httpAuth' | 'authorizer' | 'pipelines'>,
  req: Request<{ id: string }>,
) {
  const credentials = await options.httpAuth.credentials(req);
  const pipeline = await findReadablePipeline(
    options,
    credentials,
    req.params.id,
  );
  return { credentials, pipeline };
}

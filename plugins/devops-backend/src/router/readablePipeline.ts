import { NotFoundError } from '@backstage/errors';
import { devopsPipelineReadPermission } from '@devops-pipelines/plugin-devops-common';
import { Request } from 'express';
import { RouterOptions } from './types';

/**
 * Loads the pipeline of `:id` if the caller may see it; one they may not see does not
 * exist for them.
 */
export async function readablePipeline(
  options: Pick<RouterOptions, 'httpAuth' | 'authorizer' | 'pipelines'>,
  req: Request<{ id: string }>,
) {
  const credentials = await options.httpAuth.credentials(req);
  const pipeline = await options.pipelines.get(req.params.id);
  if (
    !pipeline ||
    !(await options.authorizer.isAllowed(
      credentials,
      devopsPipelineReadPermission,
      pipeline,
    ))
  ) {
    throw new NotFoundError(`No pipeline with id ${req.params.id}`);
  }
  return { credentials, pipeline };
}

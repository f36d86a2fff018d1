import { InputError, NotAllowedError } from '@backstage/errors';
import type { Request } from 'express';
import { RouterOptions, principalRef } from './types';

/**
 * The entity a request about the pipeline editor's suggestions is for (`?entityRef=`):
 * where its pipelines may deploy, which charts they may install. Those who may make (or
 * so edit) the entity's pipelines may know; 400 without an entity, 403 for anyone else.
 */
export async function pipelineEditorEntity(
  req: Request,
  options: Pick<RouterOptions, 'httpAuth' | 'authorizer'>,
): Promise<string> {
  const credentials = await options.httpAuth.credentials(req);
  const { entityRef } = req.query;
  if (typeof entityRef !== 'string' || !entityRef) {
    throw new InputError('entityRef must be one entity ref');
  }
  if (
    !(await options.authorizer.mayCreate(
      credentials,
      entityRef,
      principalRef(credentials),
    ))
  ) {
    throw new NotAllowedError(
      `You are not allowed to create or edit pipelines for ${entityRef}`,
    );
  }
  return entityRef;
}

import { NotAllowedError } from '@backstage/errors';
import { devopsPipelineReadPermission } from '@devops-pipelines/plugin-devops-common';
import Router from 'express-promise-router';
import type { RouterOptions } from '../router/types';

/** The task types the editor offers: the built-in ones and those of backend modules. */
export function taskTypesRoutes(options: RouterOptions) {
  const { authorizer, httpAuth, taskTypes } = options;
  const router = Router();

  // Whoever may see some pipeline may see what their tasks can be.
  router.get('/task-types', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const filter = await authorizer.listFilter(
      credentials,
      devopsPipelineReadPermission,
    );
    if (filter === 'none') {
      throw new NotAllowedError('You may not view pipelines');
    }
    res.json({ items: taskTypes.list() });
  });

  return router;
}

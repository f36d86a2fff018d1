import { InputError } from '@backstage/errors';
import Router from 'express-promise-router';
import { bindClusterRequestSchema } from '../clusters/bindRequest';
import { audited } from './audit';
import { RouterOptions, principalRef } from './types';
import { parseBody } from './validation';

/** `force` is a flag: "true" or "false", nothing else, so a typo never forces. */
function parseForce(value: unknown): boolean {
  if (value === undefined || value === 'false') return false;
  if (value === 'true') return true;
  throw new InputError('force must be true or false');
}

/** Clusters: the bindings with their health, the clusters one could bind, bind, unbind. */
export function clustersRoutes(options: RouterOptions) {
  const { httpAuth, auditor, clusterAuthorizer, clusters } = options;
  const router = Router();

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json({
      items: await clusterAuthorizer.readable(
        credentials,
        await clusters.list(),
      ),
      // The page offers binding only to those who may bind for some scope.
      canBind: await clusterAuthorizer.maySomeManage(credentials),
    });
  });

  router.get('/clusters/available', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await clusterAuthorizer.authorizeSomeManage(credentials);
    res.json({ items: await clusters.available() });
  });

  // Binds and unbinds are audited, those the policy refuses for their scope too.
  router.post('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    // Before the body is read: who may bind nothing learns nothing of what it lacks.
    await clusterAuthorizer.authorizeSomeManage(credentials);
    const request = parseBody(bindClusterRequestSchema, req.body);
    const binding = await audited(
      auditor,
      {
        eventId: 'cluster-bind',
        severityLevel: 'high',
        request: req,
        meta: {
          cluster: request.name,
          scope: request.scope ?? [],
          ...(request.namespace ? { namespace: request.namespace } : {}),
        },
      },
      async () => {
        await clusterAuthorizer.authorizeManage(
          credentials,
          { name: request.name, scope: request.scope ?? [] },
          'bind',
        );
        return clusters.bind({
          ...request,
          createdBy: principalRef(credentials),
        });
      },
      bound => ({ namespace: bound.namespace }),
    );
    res.status(201).json(binding);
  });

  router.delete('/clusters/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const force = parseForce(req.query.force);
    const binding = (await clusters.list()).find(
      b => b.name === req.params.name,
    );
    await audited(
      auditor,
      {
        eventId: 'cluster-unbind',
        severityLevel: 'high',
        request: req,
        meta: {
          cluster: req.params.name,
          force,
          ...(binding
            ? { namespace: binding.namespace, scope: binding.scope }
            : {}),
        },
      },
      async () => {
        await clusterAuthorizer.authorizeSomeManage(credentials);
        // An unknown name is left to unbind, which answers 404 for it.
        if (binding)
          await clusterAuthorizer.authorizeManage(
            credentials,
            binding,
            'unbind',
          );
        await clusters.unbind(req.params.name, {
          force,
          by: principalRef(credentials),
        });
      },
    );
    res.status(204).end();
  });

  return router;
}

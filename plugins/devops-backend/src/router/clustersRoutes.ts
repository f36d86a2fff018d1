import { InputError } from '@backstage/errors';
import {
  devopsClusterManagePermission,
  devopsClusterReadPermission,
} from '@devops-pipelines/plugin-devops-common';
import Router from 'express-promise-router';
import { bindClusterRequestSchema } from '../clusters/bindRequest';
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
  const { httpAuth, authorizer, clusters } = options;
  const router = Router();

  router.get('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(credentials, devopsClusterReadPermission);
    res.json({ items: await clusters.list() });
  });

  router.get('/clusters/available', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(credentials, devopsClusterReadPermission);
    res.json({ items: await clusters.available() });
  });

  router.post('/clusters', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(credentials, devopsClusterManagePermission);
    const request = parseBody(bindClusterRequestSchema, req.body);
    const binding = await clusters.bind({ ...request, createdBy: principalRef(credentials) });
    res.status(201).json(binding);
  });

  router.delete('/clusters/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    await authorizer.authorize(credentials, devopsClusterManagePermission);
    await clusters.unbind(req.params.name, {
      force: parseForce(req.query.force),
      by: principalRef(credentials),
    });
    res.status(204).end();
  });

  return router;
}

import { InputError } from '@backstage/errors';
import express, { ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { accountsRoutes } from '../accounts/accountsRoutes';
import { chartsRoutes } from '../charts/chartsRoutes';
import { taskTypesRoutes } from '../taskTypes/taskTypesRoutes';
import { deployTargetsRoutes } from '../deployTargets/deployTargetsRoutes';
import { clustersRoutes } from './clustersRoutes';
import { pipelinesRoutes } from './pipelinesRoutes';
import { runsRoutes } from './runsRoutes';
import { triggersRoutes } from '../triggers/triggersRoutes';
import { rejectNulCharacters } from './rejectNulCharacters';
import { RouterOptions } from './types';

/**
 * Turns body-parser failures into errors the Backstage error handler answers with a
 * readable message: 400 for a body that is not JSON, 413 for one over the limit.
 */
const bodyErrors =
  (maxRequestBytes: number): ErrorRequestHandler =>
  (error, _req, _res, next) => {
    if (error?.type === 'entity.parse.failed') {
      next(
        new InputError(`The request body is not valid JSON: ${error.message}`),
      );
    } else if (error?.type === 'entity.too.large') {
      next(
        Object.assign(
          new Error(
            `The request body is larger than the ${maxRequestBytes} bytes the portal takes (devops.limits.maxRequestBytes)`,
          ),
          { name: 'PayloadTooLargeError', statusCode: 413 },
        ),
      );
    } else {
      next(error);
    }
  };

export function createRouter(options: RouterOptions): express.Router {
  const router = Router();
  router.use(express.json({ limit: options.maxRequestBytes }));
  router.use(
    express.text({
      type: [
        'application/yaml',
        'application/x-yaml',
        'text/yaml',
        'text/plain',
      ],
      limit: options.maxRequestBytes,
    }),
  );
  router.use(bodyErrors(options.maxRequestBytes));
  router.use(rejectNulCharacters);
  router.use(deployTargetsRoutes(options));
  router.use(pipelinesRoutes(options));
  router.use(runsRoutes(options));
  router.use(clustersRoutes(options));
  router.use(chartsRoutes(options));
  router.use(taskTypesRoutes(options));
  router.use(triggersRoutes(options));
  router.use(accountsRoutes(options));
  return router;
}

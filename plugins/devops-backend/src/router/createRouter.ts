import { InputError } from '@backstage/errors';
import express, { ErrorRequestHandler } from 'express';
import Router from 'express-promise-router';
import { accountsRoutes } from '../accounts/accountsRoutes';
import { chartsRoutes } from '../charts/chartsRoutes';
import { deployTargetsRoutes } from '../deployTargets/deployTargetsRoutes';
import { clustersRoutes } from './clustersRoutes';
import { pipelinesRoutes } from './pipelinesRoutes';
import { runsRoutes } from './runsRoutes';
import { triggersRoutes } from '../triggers/triggersRoutes';
import { rejectNulCharacters } from './rejectNulCharacters';
import { RouterOptions } from './types';

/** Turns body-parser failures into Backstage input errors with a readable message. */
const bodyErrors: ErrorRequestHandler = (error, _req, _res, next) => {
  if (error?.type === 'entity.parse.failed') {
    next(
      new InputError(`The request body is not valid JSON: ${error.message}`),
    );
  } else if (error?.type === 'entity.too.large') {
    next(new InputError('The request body is too large'));
  } else {
    next(error);
  }
};

export function createRouter(options: RouterOptions): express.Router {
  const router = Router();
  router.use(express.json({ limit: '2mb' }));
  router.use(
    express.text({
      type: [
        'application/yaml',
        'application/x-yaml',
        'text/yaml',
        'text/plain',
      ],
      limit: '2mb',
    }),
  );
  router.use(bodyErrors);
  router.use(rejectNulCharacters);
  router.use(deployTargetsRoutes(options));
  router.use(pipelinesRoutes(options));
  router.use(runsRoutes(options));
  router.use(clustersRoutes(options));
  router.use(chartsRoutes(options));
  router.use(triggersRoutes(options));
  router.use(accountsRoutes(options));
  return router;
}

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import Router from 'express-promise-router';

/**
 * DevOps Pipelines backend plugin.
 *
 * @public
 */
export const devopsPlugin = createBackendPlugin({
  pluginId: 'devops',
  register(env) {
    env.registerInit({
      deps: {
        httpRouter: coreServices.httpRouter,
      },
      async init({ httpRouter }) {
        const router = Router();
        router.get('/health', (_req, res) => {
          res.json({ status: 'ok' });
        });
        httpRouter.use(router);
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});

import { InputError } from '@backstage/errors';
import Router from 'express-promise-router';
import { pipelineEditorEntity } from '../router/pipelineEditorEntity';
import type { RouterOptions } from '../router/types';
import { listClusterNamespaces } from './clusterNamespaces';

/**
 * Where pipelines of an entity may deploy, as the deploy task dialogs suggest it: the
 * clusters, and the namespaces of one of them. Registered before the pipeline routes, whose
 * `/pipelines/:id` would otherwise take these paths.
 */
export function deployTargetsRoutes(options: RouterOptions) {
  const { clusters, deployTargets } = options;
  const router = Router();

  /** Where a pipeline of the entity may deploy: the deploy task dialog's suggestions. */
  router.get('/pipelines/deploy-targets', async (req, res) => {
    const { cluster } = req.query;
    if (cluster !== undefined && typeof cluster !== 'string') {
      throw new InputError('cluster must be one cluster name');
    }
    const entityRef = await pipelineEditorEntity(req, options);
    res.json({
      items: await deployTargets.targetsFor({
        entityRef,
        cluster: cluster || undefined,
      }),
    });
  });

  /**
   * The namespaces of one of those clusters a pipeline of the entity may deploy into,
   * read from the cluster: the deploy task dialog's namespace suggestions.
   */
  router.get('/pipelines/deploy-targets/namespaces', async (req, res) => {
    const { cluster, target } = req.query;
    if (typeof target !== 'string' || !target) {
      throw new InputError('target must be the name of one cluster');
    }
    if (cluster !== undefined && typeof cluster !== 'string') {
      throw new InputError('cluster must be one cluster name');
    }
    const entityRef = await pipelineEditorEntity(req, options);
    const pipeline = { entityRef, cluster: cluster || undefined };
    // Refused before the cluster is asked anything.
    await deployTargets.allowedNamespaces(pipeline, target, []);
    const listed = await listClusterNamespaces(
      await clusters.kubeConfig(target),
      target,
    );
    res.json({
      ...listed,
      namespaces: await deployTargets.allowedNamespaces(
        pipeline,
        target,
        listed.namespaces,
      ),
    });
  });

  return router;
}

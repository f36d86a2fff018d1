import { ConflictError, InputError } from '@backstage/errors';
import {
  PipelineDocument,
  copyPipelineRequestSchema,
  devopsPipelineActivatePermission,
  devopsPipelineDeletePermission,
  devopsPipelineExecutePermission,
  devopsPipelineUpdatePermission,
  pipelineDocumentSchema,
  updatePipelineRequestSchema,
  updateSettingsRequestSchema,
  updateTriggersRequestSchema,
} from '@devops-pipelines/plugin-devops-common';
import { Request } from 'express';
import Router from 'express-promise-router';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import type { PipelineRecord } from '../database/types';
import { stopUnfinishedRuns } from '../engine/stopUnfinishedRuns';
import { pipelineBindingKey } from '../clusters/pipelineBindingKey';
import { checkTaskResources } from '../executors/kubernetes/taskResources';
import { separateSecrets } from '../secrets/parameters';
import { audited, pipelineMeta } from './audit';
import { readablePipeline as loadReadablePipeline } from './readablePipeline';
import { listPipelines, startManualRun } from './operations';
import { loadApiRun, toApiPipeline } from './serialize';
import { RouterOptions, principalRef } from './types';
import {
  decodeCursor,
  encodeCursor,
  parseBody,
  parseLimit,
} from './validation';

/**
 * `?webhook=manual`: the user registered the repository's webhook by hand, because the
 * portal may not (no credentials, missing rights); saving event triggers skips it.
 */
function manualWebhook(req: Request): boolean {
  const value = req.query.webhook;
  if (value === undefined) return false;
  if (value === 'manual') return true;
  throw new InputError(
    'webhook must be "manual" (the webhook was registered by hand) or left out',
  );
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Pipelines: CRUD, copy, triggers, settings, activation, runs, export and import. */
export function pipelinesRoutes(options: RouterOptions) {
  const {
    httpAuth,
    auditor,
    authorizer,
    pipelines,
    runs,
    engine,
    webhooks,
    accounts,
    deployTargets,
    logger,
    clusters,
  } = options;
  const router = Router();

  const readablePipeline = (req: Request<{ id: string }>) =>
    loadReadablePipeline(options, req);

  const withLastRun = async (pipeline: PipelineRecord) =>
    toApiPipeline(
      pipeline,
      (await runs.latestRuns([pipeline.id])).get(pipeline.id),
    );

  /** Creating, importing and copying all count against devops.limits.maxPipelines. */
  const checkPipelineLimit = async () => {
    if (
      options.maxPipelines > 0 &&
      (await pipelines.count()) >= options.maxPipelines
    ) {
      throw new ConflictError(
        `The portal holds its maximum of ${options.maxPipelines} pipelines; delete one, or ask the portal admin to raise devops.limits.maxPipelines`,
      );
    }
  };

  /**
   * What a pipeline may ask of the portal: task types it has, deploy targets and task pod
   * resources.
   */
  const checkDocument = async (document: PipelineDocument) => {
    options.taskTypes.checkDocument(document);
    await deployTargets.checkDocument(document);
    checkTaskResources(document.spec, options.taskResources);
  };

  /** A pipeline's create (or import, or copy) as the auditor records it. */
  const auditedCreate = (
    req: Request,
    document: PipelineDocument,
    queryType: 'create' | 'import' | 'copy',
    create: () => Promise<PipelineRecord>,
    meta: { copiedFrom?: string } = {},
  ) =>
    audited(
      auditor,
      {
        eventId: 'pipeline-create',
        request: req,
        meta: {
          queryType,
          pipelineName: document.metadata.name,
          entityRef: document.metadata.entityRef,
          ...meta,
        },
      },
      create,
      created => ({ pipelineId: created.id }),
    );

  const createPipeline = async (
    req: Request,
    document: PipelineDocument,
    createOptions: { allowMissingSecrets?: boolean } = {},
  ) => {
    const credentials = await httpAuth.credentials(req);
    return auditedCreate(
      req,
      document,
      // Only an import may leave secret values out (exports never hold them).
      createOptions.allowMissingSecrets ? 'import' : 'create',
      async () => {
        await authorizer.authorizeCreate(
          credentials,
          document,
          principalRef(credentials),
        );
        await checkDocument(document);
        await checkPipelineLimit();
        const { spec, secrets } = separateSecrets(
          document.spec,
          {},
          {
            allowMissing: createOptions.allowMissingSecrets,
          },
        );
        await accounts.checkSourceAccount(
          principalRef(credentials),
          spec.source,
        );
        await webhooks.beforeSave(spec, undefined, {
          manual: manualWebhook(req),
        });
        return pipelines.create({
          document: { ...document, spec },
          secrets,
          createdBy: principalRef(credentials),
        });
      },
    );
  };

  /** A change to a pipeline as the auditor records it: what changed, by `queryType`. */
  const auditedUpdate = (
    req: Request,
    pipeline: PipelineRecord,
    queryType: 'document' | 'settings' | 'triggers',
    update: () => Promise<PipelineRecord>,
  ) =>
    audited(
      auditor,
      {
        eventId: 'pipeline-update',
        request: req,
        meta: { ...pipelineMeta(pipeline), queryType },
      },
      update,
      updated =>
        updated.document.metadata.entityRef !==
        pipeline.document.metadata.entityRef
          ? { movedTo: updated.document.metadata.entityRef }
          : {},
    );

  router.get('/pipelines', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    res.json(
      await listPipelines(options, credentials, {
        entityRef: req.query.entityRef
          ? String(req.query.entityRef)
          : undefined,
        search: req.query.q ? String(req.query.q) : undefined,
        limit: parseLimit(req.query.limit, 20, 200),
        cursor: req.query.cursor,
      }),
    );
  });

  // Before /pipelines/:id, which would take the name for an id.
  router.get('/pipelines/create-permission', async (req, res) => {
    const credentials = await httpAuth.credentials(req);
    const { entityRef } = req.query;
    if (entityRef !== undefined && typeof entityRef !== 'string') {
      throw new InputError('entityRef must be one entity ref');
    }
    res.json({
      allowed: await authorizer.mayCreate(
        credentials,
        entityRef || undefined,
        principalRef(credentials),
      ),
    });
  });

  router.post('/pipelines', async (req, res) => {
    const document = parseBody(pipelineDocumentSchema, req.body);
    res.status(201).json(toApiPipeline(await createPipeline(req, document)));
  });

  router.post('/pipelines/import', async (req, res) => {
    const text = typeof req.body === 'string' ? req.body : req.body?.yaml;
    if (typeof text !== 'string' || !text.trim()) {
      throw new InputError(
        'Send the pipeline YAML as the request body (Content-Type: application/yaml) or as {"yaml": "..."}',
      );
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch (error) {
      throw new InputError(
        `The YAML could not be read: ${(error as Error).message}`,
      );
    }
    // `?name=` imports under another name: a second copy, or one whose name is taken.
    const { name } = req.query;
    if (name !== undefined && typeof name !== 'string') {
      throw new InputError('name must be one pipeline name');
    }
    const document = parseBody(
      pipelineDocumentSchema,
      name && isRecord(parsed) && isRecord(parsed.metadata)
        ? { ...parsed, metadata: { ...parsed.metadata, name } }
        : parsed,
    );
    // An export never holds secret values: the pipeline is created without them, and
    // runs are refused until they are set.
    res
      .status(201)
      .json(
        toApiPipeline(
          await createPipeline(req, document, { allowMissingSecrets: true }),
        ),
      );
  });

  router.get('/pipelines/:id', async (req, res) => {
    const { pipeline } = await readablePipeline(req);
    res.json(await withLastRun(pipeline));
  });

  router.put('/pipelines/:id', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    const updated = await auditedUpdate(req, pipeline, 'document', async () => {
      await authorizer.authorizePipeline(
        credentials,
        devopsPipelineUpdatePermission,
        pipeline,
      );
      const { version, ...document } = parseBody(
        updatePipelineRequestSchema,
        req.body,
      );
      if (
        document.metadata.entityRef !== pipeline.document.metadata.entityRef
      ) {
        // Moving a pipeline is editing it where it lands too: a policy scoped to entities
        // must not let it be moved into one the user may not change.
        await authorizer.authorizePipeline(
          credentials,
          devopsPipelineUpdatePermission,
          {
            ...pipeline,
            document: { ...pipeline.document, metadata: document.metadata },
          },
        );
      }
      await checkDocument(document);
      const { spec, secrets } = separateSecrets(
        document.spec,
        pipeline.secrets,
      );
      await accounts.checkSourceAccount(
        principalRef(credentials),
        spec.source,
        pipeline.document.spec.source,
      );
      await webhooks.beforeSave(spec, pipeline.document.spec, {
        manual: manualWebhook(req),
      });
      const saved = await pipelines.update(pipeline.id, version, {
        document: { ...document, spec },
        secrets,
      });
      await webhooks.afterSave(spec, pipeline.document.spec);
      return saved;
    });
    res.json(await withLastRun(updated));
  });

  router.delete('/pipelines/:id', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    await audited(
      auditor,
      {
        eventId: 'pipeline-delete',
        request: req,
        meta: pipelineMeta(pipeline),
      },
      async () => {
        await authorizer.authorizePipeline(
          credentials,
          devopsPipelineDeletePermission,
          pipeline,
        );
        // The confirmation says so: deleting stops what still runs (SPEC §2).
        const stopped = await stopUnfinishedRuns({
          runs,
          engine,
          pipelineId: pipeline.id,
          pipelineName: pipeline.document.metadata.name,
        });
        await pipelines.delete(pipeline.id);
        if (stopped.length) {
          logger.info(
            `Pipeline ${
              pipeline.document.metadata.name
            } deleted after stopping run(s) #${stopped.join(', #')}`,
          );
        }
        await webhooks.afterSave(undefined, pipeline.document.spec);
        return stopped;
      },
      stopped => ({ stoppedRuns: stopped }),
    );
    res.status(204).end();
  });

  router.post('/pipelines/:id/copy', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    const { name, title } = parseBody(copyPipelineRequestSchema, req.body);
    // Triggers are not copied: two pipelines would fire on one push (SPEC §2).
    const { triggers: _notCopied, ...spec } = pipeline.document.spec;
    const document = {
      ...pipeline.document,
      metadata: {
        ...pipeline.document.metadata,
        name,
        ...(title ? { title } : {}),
      },
      spec,
    };
    const createdBy = principalRef(credentials);
    const copy = await auditedCreate(
      req,
      document,
      'copy',
      async () => {
        await authorizer.authorizeCreate(credentials, document, createdBy);
        // The same tasks and entity, but the bindings or devops.deployTargets may have changed.
        await checkDocument(document);
        await checkPipelineLimit();
        return pipelines.create({
          document,
          secrets: pipeline.secrets,
          createdBy,
        });
      },
      { copiedFrom: pipeline.id },
    );
    res.status(201).json(toApiPipeline(copy));
  });

  router.put('/pipelines/:id/triggers', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    const updated = await auditedUpdate(req, pipeline, 'triggers', async () => {
      await authorizer.authorizePipeline(
        credentials,
        devopsPipelineUpdatePermission,
        pipeline,
      );
      const triggers = parseBody(updateTriggersRequestSchema, req.body);
      const spec = { ...pipeline.document.spec, triggers };
      await webhooks.beforeSave(spec, pipeline.document.spec, {
        manual: manualWebhook(req),
      });
      const saved = await pipelines.update(pipeline.id, pipeline.version, {
        document: { ...pipeline.document, spec },
      });
      await webhooks.afterSave(spec, pipeline.document.spec);
      return saved;
    });
    res.json(await withLastRun(updated));
  });

  /** A cluster the settings choose must serve the pipeline's project. */
  const assertBindingServes = async (
    pipeline: PipelineRecord,
    cluster: string,
  ) => {
    const { items } = await clusters.bindingsForPipeline(
      pipelineBindingKey(pipeline),
    );
    if (!items.some(binding => binding.name === cluster)) {
      throw new InputError(
        `Cluster ${cluster} does not serve the project of ${
          pipeline.document.metadata.entityRef
        }; choose one of the bindings that do${
          items.length
            ? `: ${items.map(b => b.name).join(', ')}`
            : ' (none is bound for it)'
        }`,
      );
    }
  };

  router.put('/pipelines/:id/settings', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    const updated = await auditedUpdate(req, pipeline, 'settings', async () => {
      await authorizer.authorizePipeline(
        credentials,
        devopsPipelineUpdatePermission,
        pipeline,
      );
      const { timeoutMinutes, cluster, notifications } = parseBody(
        updateSettingsRequestSchema,
        req.body,
      );
      const { cluster: previous, ...spec } = pipeline.document.spec;
      // Left out: unchanged; null: the rule decides again.
      const chosen = cluster === undefined ? previous : cluster ?? undefined;
      if (chosen && chosen !== previous) {
        await assertBindingServes(pipeline, chosen);
      }
      return pipelines.update(pipeline.id, pipeline.version, {
        document: {
          ...pipeline.document,
          spec: {
            ...spec,
            timeoutMinutes,
            // Left out: unchanged.
            ...(notifications ? { notifications } : {}),
            ...(chosen ? { cluster: chosen } : {}),
          },
        },
      });
    });
    res.json(await withLastRun(updated));
  });

  /** The bindings that may run the pipeline, for its advanced settings (SPEC §1). */
  router.get('/pipelines/:id/bindings', async (req, res) => {
    const { pipeline } = await readablePipeline(req);
    res.json(await clusters.bindingsForPipeline(pipelineBindingKey(pipeline)));
  });

  for (const [action, active] of [
    ['activate', true],
    ['deactivate', false],
  ] as const) {
    router.post(`/pipelines/:id/${action}`, async (req, res) => {
      const { credentials, pipeline } = await readablePipeline(req);
      await authorizer.authorizePipeline(
        credentials,
        devopsPipelineActivatePermission,
        pipeline,
      );
      const updated =
        pipeline.active === active
          ? pipeline
          : await pipelines.update(pipeline.id, pipeline.version, { active });
      res.json(await withLastRun(updated));
    });
  }

  router.post('/pipelines/:id/runs', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    const run = await startManualRun(
      options,
      credentials,
      pipeline,
      req.body,
      req,
    );
    res.status(201).json(await loadApiRun(runs, run));
  });

  router.post('/pipelines/:id/stop', async (req, res) => {
    const { credentials, pipeline } = await readablePipeline(req);
    await authorizer.authorizePipeline(
      credentials,
      devopsPipelineExecutePermission,
      pipeline,
    );
    const unfinished = await runs.latestUnfinishedRun(pipeline.id);
    if (!unfinished) {
      throw new ConflictError(
        `Pipeline "${pipeline.document.metadata.name}" has no run in progress to stop`,
      );
    }
    const run = await runs.requestStop(unfinished.id);
    engine.stopRun(run.id);
    res.json(await loadApiRun(runs, run));
  });

  router.get('/pipelines/:id/runs', async (req, res) => {
    const { pipeline } = await readablePipeline(req);
    const limit = parseLimit(req.query.limit, 20, 100);
    const beforeBuildId = decodeCursor(req.query.cursor);
    const { items, totalCount } = await runs.listRuns(pipeline.id, {
      limit,
      beforeBuildId,
    });
    const last = items[items.length - 1];
    const withTasks = await Promise.all(
      items.map(run => loadApiRun(runs, run)),
    );
    res.json({
      items: withTasks,
      totalCount,
      ...(items.length === limit && last && last.buildId > 1
        ? { nextCursor: encodeCursor(last.buildId) }
        : {}),
    });
  });

  router.get('/pipelines/:id/export', async (req, res) => {
    const { pipeline } = await readablePipeline(req);
    res
      .type('application/yaml')
      .setHeader(
        'Content-Disposition',
        `attachment; filename="${pipeline.document.metadata.name}.yaml"`,
      )
      .send(stringifyYaml(pipeline.document));
  });

  return router;
}

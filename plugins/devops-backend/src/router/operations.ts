import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { Request } from 'express';
import {
  devopsPipelineExecutePermission,
  devopsPipelineReadPermission,
  runPipelineRequestSchema,
  type Page,
  type Pipeline,
  type SetupStep,
} from '@devops-pipelines/plugin-devops-common';
import type { PipelineRecord, RunRecord } from '../database/types';
import { queueRun } from '../engine/queueRun';
import { secretParameterNames } from '../secrets/parameters';
import { audited, pipelineMeta } from './audit';
import { toApiPipeline } from './serialize';
import { RouterOptions, principalRef, runStarter } from './types';
import { decodeCursor, encodeCursor, parseBody } from './validation';

/*
 * What an HTTP route and an action of the actions registry (src/actions) both do, so
 * that the two ways in check the same permissions and give the same answers.
 */

/** The pipelines the caller may see, newest first, each with its latest run. */
export async function listPipelines(
  options: Pick<RouterOptions, 'authorizer' | 'pipelines' | 'runs'>,
  credentials: BackstageCredentials,
  query: {
    entityRef?: string;
    search?: string;
    limit: number;
    /** An opaque cursor from a previous page's nextCursor. */
    cursor?: unknown;
  },
): Promise<Page<Pipeline>> {
  const offset = decodeCursor(query.cursor) ?? 0;
  const filter = await options.authorizer.listFilter(
    credentials,
    devopsPipelineReadPermission,
  );
  if (filter === 'none') return { items: [], totalCount: 0 };
  const { items, totalCount } = await options.pipelines.list({
    entityRef: query.entityRef,
    search: query.search,
    limit: query.limit,
    offset,
    filter,
  });
  const lastRuns = await options.runs.latestRuns(items.map(p => p.id));
  return {
    items: items.map(p => toApiPipeline(p, lastRuns.get(p.id))),
    totalCount,
    ...(offset + items.length < totalCount
      ? { nextCursor: encodeCursor(offset + items.length) }
      : {}),
  };
}

/**
 * Queues a manual run of a pipeline the caller may see, if they may execute it;
 * `request` is the body of POST /pipelines/:id/runs, `{ params }`. A run of a pipeline
 * with secret parameters is audited (`pipeline-run`), with `httpRequest` when it came
 * through the router, whose credentials name the actor.
 */
export async function startManualRun(
  options: Pick<
    RouterOptions,
    'authorizer' | 'runs' | 'engine' | 'userDisplayName' | 'auditor'
  >,
  credentials: BackstageCredentials,
  pipeline: PipelineRecord,
  request: unknown,
  httpRequest?: Request,
): Promise<RunRecord> {
  const secrets = secretParameterNames(pipeline.document.spec);
  let overridden: string[] = [];
  const start = async () => {
    await options.authorizer.authorizePipeline(
      credentials,
      devopsPipelineExecutePermission,
      pipeline,
    );
    const { params } = parseBody(runPipelineRequestSchema, request ?? {});
    const given = Object.keys(params ?? {});
    overridden = secrets.filter(name => given.includes(name));
    const run = await queueRun(
      options.runs,
      pipeline,
      {
        type: 'manual',
        ...(await runStarter(credentials, options.userDisplayName)),
      },
      params,
    );
    options.engine.notify();
    return run;
  };
  if (!secrets.length) return start();
  return audited(
    options.auditor,
    {
      eventId: 'pipeline-run',
      request: httpRequest,
      meta: {
        ...pipelineMeta(pipeline),
        queryType: 'manual',
        startedBy: principalRef(credentials),
        secretParameters: secrets,
      },
    },
    start,
    run => ({
      runId: run.id,
      buildId: run.buildId,
      // Names only: the values given for them are never recorded.
      secretParametersGiven: overridden,
    }),
  );
}

/** Stops a run of a pipeline the caller may see, if they may execute it. */
export async function stopRun(
  options: Pick<RouterOptions, 'authorizer' | 'runs' | 'engine'>,
  credentials: BackstageCredentials,
  { run, pipeline }: { run: RunRecord; pipeline: PipelineRecord },
): Promise<RunRecord> {
  await options.authorizer.authorizePipeline(
    credentials,
    devopsPipelineExecutePermission,
    pipeline,
  );
  const stopped = await options.runs.requestStop(run.id);
  options.engine.stopRun(run.id);
  return stopped;
}

/** The `task` value that selects the run's own lines, its initialisation step's log. */
const RUN_LEVEL_LOG = 'initialisation' satisfies SetupStep;

/**
 * The log chunks' task filter for a `task` value: a task run's id or `checkout` selects
 * that step's lines, `initialisation` the run's own lines (null), nothing all of them.
 */
export function logTaskFilter(task?: string): string | null | undefined {
  if (!task) return undefined;
  return task === RUN_LEVEL_LOG ? null : task;
}

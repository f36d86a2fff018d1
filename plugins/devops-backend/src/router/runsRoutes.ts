import { NotFoundError } from '@backstage/errors';
import {
  devopsPipelineExecutePermission,
  devopsPipelineReadPermission,
  isFinalStatus,
  rerunRequestSchema,
  type SetupStep,
} from '@devops-pipelines/plugin-devops-common';
import { Request, Response } from 'express';
import Router from 'express-promise-router';
import type { RunRecord } from '../database/types';
import { queueRerun } from '../engine/queueRun';
import { loadApiRun, setupStepName } from './serialize';
import { RouterOptions, runStarter } from './types';
import { parseBody, parseSeq } from './validation';

/** The `task` value that selects the run's own lines, its initialisation step's log. */
const RUN_LEVEL_LOG = 'initialisation' satisfies SetupStep;
const LIVE_POLL_MS = 200;
const KEEPALIVE_MS = 15_000;
const PAGE = 500;

/** Runs: detail, re-run, stop, the live log and the full-log download. */
export function runsRoutes(options: RouterOptions) {
  const { httpAuth, authorizer, pipelines, runs, logs, engine } = options;
  const router = Router();

  /** Loads a run whose pipeline the caller may see. */
  const readableRun = async (req: Request<{ runId: string }>) => {
    const credentials = await httpAuth.credentials(req);
    const run = await runs.getRun(req.params.runId);
    const pipeline = run && (await pipelines.get(run.pipelineId));
    if (
      !run ||
      !pipeline ||
      !(await authorizer.isAllowed(
        credentials,
        devopsPipelineReadPermission,
        pipeline,
      ))
    ) {
      throw new NotFoundError(`No run with id ${req.params.runId}`);
    }
    return { credentials, run, pipeline };
  };

  const sendRun = async (res: Response, run: RunRecord, status = 200) =>
    res.status(status).json(await loadApiRun(runs, run));

  router.get('/runs/:runId', async (req, res) => {
    const { run } = await readableRun(req);
    await sendRun(res, run);
  });

  router.post('/runs/:runId/rerun', async (req, res) => {
    const { credentials, run, pipeline } = await readableRun(req);
    await authorizer.authorizePipeline(
      credentials,
      devopsPipelineExecutePermission,
      pipeline,
    );
    const { latestCommit } = parseBody(rerunRequestSchema, req.body ?? {});
    const rerun = await queueRerun(
      runs,
      pipeline,
      run,
      {
        type: 'rerun',
        ...(await runStarter(credentials, options.userDisplayName)),
      },
      { latestCommit },
    );
    engine.notify();
    await sendRun(res, rerun, 201);
  });

  router.post('/runs/:runId/stop', async (req, res) => {
    const { credentials, run, pipeline } = await readableRun(req);
    await authorizer.authorizePipeline(
      credentials,
      devopsPipelineExecutePermission,
      pipeline,
    );
    const stopped = await runs.requestStop(run.id);
    engine.stopRun(run.id);
    await sendRun(res, stopped);
  });

  router.get('/runs/:runId/logs', async (req, res) => {
    const { run } = await readableRun(req);
    // `task` is a task run's id or a set-up step: `initialisation` selects the run's own
    // lines (its start, where it runs, its end), `checkout` the source checkout's.
    const task = req.query.task ? String(req.query.task) : undefined;
    const taskId = task === RUN_LEVEL_LOG ? null : task;
    // A reconnecting EventSource sends the id of the last event it saw as Last-Event-ID.
    const after = parseSeq(req.header('Last-Event-ID') ?? req.query.after);
    if (req.query.follow !== 'true') {
      // Status first, as in the stream: read after the chunks, a run that ended in between
      // would say "done" while its last chunks were never listed. A full page means more.
      const { status } = await runs.getRunOrThrow(run.id);
      const items = await logs.list(run.id, {
        afterSeq: after,
        limit: PAGE,
        taskId,
      });
      res.json({ items, done: isFinalStatus(status) && items.length < PAGE });
      return;
    }
    await streamLog(req, res, run.id, after, taskId);
  });

  /**
   * Server-sent events: one `log` event per chunk (its id is the sequence number, so a
   * reconnecting EventSource resumes by itself) and an `end` event once the run is over
   * and everything was sent. Memory stays bounded: one page of chunks at a time.
   */
  async function streamLog(
    req: Request,
    res: Response,
    runId: string,
    afterSeq: number,
    taskId?: string | null,
  ) {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    let closed = false;
    req.on('close', () => {
      closed = true;
    });
    let after = afterSeq;
    let lastWrite = Date.now();
    const write = async (text: string) => {
      lastWrite = Date.now();
      if (!res.write(text))
        await new Promise(resolve => res.once('drain', resolve));
    };
    while (!closed) {
      // Read the status first: chunks written before the run ended are then all visible.
      const { status } = await runs.getRunOrThrow(runId);
      const chunks = await logs.list(runId, {
        afterSeq: after,
        limit: PAGE,
        taskId,
      });
      for (const chunk of chunks) {
        await write(
          `id: ${chunk.seq}\nevent: log\ndata: ${JSON.stringify(chunk)}\n\n`,
        );
        after = chunk.seq;
      }
      if (chunks.length === PAGE) continue;
      if (isFinalStatus(status)) {
        await write(`event: end\ndata: ${JSON.stringify({ status })}\n\n`);
        break;
      }
      if (Date.now() - lastWrite > KEEPALIVE_MS) await write(': keepalive\n\n');
      await new Promise(resolve => setTimeout(resolve, LIVE_POLL_MS));
    }
    res.end();
  }

  router.get('/runs/:runId/logs/download', async (req, res) => {
    const { run } = await readableRun(req);
    const [setupSteps, taskRuns] = await Promise.all([
      runs.listSetupSteps(run.id),
      runs.listTaskRuns(run.id),
    ]);
    const names = new Map([
      ...setupSteps.map(s => [s.step, setupStepName(s, run)] as const),
      ...taskRuns.map(
        t =>
          [
            t.id,
            run.spec.stages[t.stageIndex].tasks[t.taskIndex].name,
          ] as const,
      ),
    ]);
    res.writeHead(200, {
      'Content-Type': 'text/plain; charset=utf-8',
      'Content-Disposition': `attachment; filename="${run.pipelineName}-${run.buildId}.log"`,
    });
    let after = 0;
    for (;;) {
      const chunks = await logs.list(run.id, { afterSeq: after, limit: PAGE });
      for (const chunk of chunks) {
        const prefix = chunk.taskId ? `[${names.get(chunk.taskId)}] ` : '';
        const text = prefix
          ? chunk.text.replace(/^(?=.)/gm, prefix)
          : chunk.text;
        if (!res.write(text))
          await new Promise(resolve => res.once('drain', resolve));
        after = chunk.seq;
      }
      if (chunks.length < PAGE) break;
    }
    res.end();
  });

  return router;
}

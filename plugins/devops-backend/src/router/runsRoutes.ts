import {
  devopsPipelineExecutePermission,
  isFinalStatus,
  rerunRequestSchema,
} from '@devops-pipelines/plugin-devops-common';
import { Request, Response } from 'express';
import Router from 'express-promise-router';
import type { RunRecord } from '../database/types';
import { queueRerun } from '../engine/queueRun';
import { secretParameterNames } from '../secrets/parameters';
import { audited, pipelineMeta } from './audit';
import { followRun } from '../live/followRun';
import { followRunLog } from '../live/followRunLog';
import { logTaskFilter, stopRun } from './operations';
import { findReadableRun } from './readablePipeline';
import { loadApiRun, setupStepName } from './serialize';
import { openEventStream } from './serverSentEvents';
import { RouterOptions, runStarter } from './types';
import { parseBody, parseSeq } from './validation';

const KEEPALIVE_MS = 15_000;

/** Runs: detail, re-run, stop, the live log and the full-log download. */
export function runsRoutes(options: RouterOptions) {
  const { httpAuth, auditor, authorizer, runs, logs, runChanges, engine } =
    options;
  const router = Router();

  /** Loads a run whose pipeline the caller may see. */
  const readableRun = async (req: Request<{ runId: string }>) => {
    const credentials = await httpAuth.credentials(req);
    const found = await findReadableRun(options, credentials, req.params.runId);
    return { credentials, ...found };
  };

  const sendRun = async (res: Response, run: RunRecord, status = 200) =>
    res.status(status).json(await loadApiRun(runs, run));

  router.get('/runs/:runId', async (req, res) => {
    const { run } = await readableRun(req);
    if (req.query.follow !== 'true') {
      await sendRun(res, run);
      return;
    }
    // Server-sent events: a `run` event with the run as GET gives it, each time a status
    // in it moved, until it ended (see followRun).
    const stream = openEventStream(req, res);
    await followRun(
      runChanges,
      {
        runId: run.id,
        load: async () => loadApiRun(runs, await runs.getRunOrThrow(run.id)),
        idleMs: KEEPALIVE_MS,
        signal: stream.signal,
      },
      {
        onRun: current => stream.send('run', current),
        onIdle: stream.keepAlive,
      },
    );
    stream.end();
  });

  router.post('/runs/:runId/rerun', async (req, res) => {
    const { credentials, run, pipeline } = await readableRun(req);
    const repeat = async () => {
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
      return rerun;
    };
    // A re-run uses the secret values of the run it repeats: audited as a run with them.
    const secrets = secretParameterNames(run.spec);
    const rerun = secrets.length
      ? await audited(
          auditor,
          {
            eventId: 'pipeline-run',
            request: req,
            meta: {
              ...pipelineMeta(pipeline),
              queryType: 'rerun',
              rerunOf: run.buildId,
              secretParameters: secrets,
            },
          },
          repeat,
          queued => ({ runId: queued.id, buildId: queued.buildId }),
        )
      : await repeat();
    await sendRun(res, rerun, 201);
  });

  router.post('/runs/:runId/stop', async (req, res) => {
    const { credentials, ...found } = await readableRun(req);
    await sendRun(res, await stopRun(options, credentials, found));
  });

  router.get('/runs/:runId/logs', async (req, res) => {
    const { run } = await readableRun(req);
    // `task` is a task run's id or a set-up step: `initialisation` selects the run's own
    // lines (its start, where it runs, its end), `checkout` the source checkout's.
    const taskId = logTaskFilter(
      req.query.task ? String(req.query.task) : undefined,
    );
    // A reconnecting EventSource sends the id of the last event it saw as Last-Event-ID.
    const after = parseSeq(req.header('Last-Event-ID') ?? req.query.after);
    if (req.query.follow !== 'true') {
      // Status first, as in the stream: read after the chunks, a run that ended in between
      // would say "done" while its last chunks were never listed.
      const { status } = await runs.getRunOrThrow(run.id);
      const { chunks, more } = await logs.page(run.id, {
        afterSeq: after,
        taskId,
      });
      res.json({ items: chunks, done: isFinalStatus(status) && !more });
      return;
    }
    await streamLog(req, res, run.id, after, taskId);
  });

  /**
   * Server-sent events: one `log` event per chunk (its id is the sequence number, so a
   * reconnecting EventSource resumes by itself) and an `end` event once the run is over
   * and everything was sent (see followRunLog).
   */
  async function streamLog(
    req: Request,
    res: Response,
    runId: string,
    afterSeq: number,
    taskId?: string | null,
  ) {
    const stream = openEventStream(req, res);
    await followRunLog(
      { runs, logs, runChanges },
      { runId, afterSeq, taskId, idleMs: KEEPALIVE_MS, signal: stream.signal },
      {
        onChunk: chunk => stream.send('log', chunk, chunk.seq),
        onEnd: status => stream.send('end', { status }),
        onIdle: stream.keepAlive,
      },
    );
    stream.end();
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
    // One drain listener for the whole download: behind Backstage's compression
    // middleware, `res.once('drain')` adds to the gzip stream a listener that is never
    // removed, one more per full buffer (expressjs/compression#135). A client that left
    // drains nothing: its close ends the wait, and the download.
    let drained = () => {};
    let gone = false;
    res.on('drain', () => drained());
    res.on('close', () => {
      gone = true;
      drained();
    });
    const drain = () =>
      new Promise<void>(resolve => {
        drained = resolve;
      });
    let after = 0;
    for (;;) {
      // A page at a time: memory stays bounded whatever the log's size.
      const { chunks, more } = await logs.page(run.id, { afterSeq: after });
      for (const chunk of chunks) {
        const prefix = chunk.taskId ? `[${names.get(chunk.taskId)}] ` : '';
        const text = prefix
          ? chunk.text.replace(/^(?=.)/gm, prefix)
          : chunk.text;
        if (!res.write(text)) await drain();
        if (gone) return;
        after = chunk.seq;
      }
      if (!more) break;
    }
    res.end();
  });

  return router;
}

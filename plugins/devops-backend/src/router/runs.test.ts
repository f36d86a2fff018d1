import { TestDatabases } from '@backstage/backend-test-utils';
import type { LogChunk, Run } from '@devops-pipelines/plugin-devops-common';
import { createHash } from 'crypto';
import http from 'http';
import zlib from 'zlib';
import { DatabaseLogStore } from '../database/DatabaseLogStore';
import {
  DevopsTestBackend,
  collectText,
  documentOf,
  parseEventStream,
  pipelineDocument,
} from './__testUtils__/devopsTestBackend';

jest.setTimeout(60_000);

/**
 * The runs half of the HTTP API on each database, with runs really executed by the
 * local executor: run now, records, detail, re-run, stop, live and downloaded logs,
 * secret masking and BUILD_ID allocation.
 */
describe('devops router: runs', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let devops: DevopsTestBackend;

    beforeAll(async () => {
      devops = await DevopsTestBackend.start(await databases.init(databaseId), {
        // The requests' user, whose name in words the runs they start record.
        catalog: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'User',
            metadata: { name: 'mock' },
            spec: { profile: { displayName: 'Mock User' } },
          },
        ],
      });
    });

    afterAll(async () => {
      await devops?.stop();
    });

    const api = () => devops.http;

    /** Follows a run's log as an event stream until the server ends it. */
    const followLog = async (
      runId: string,
      query: Record<string, string> = {},
      headers: Record<string, string> = {},
    ) => {
      const req = api()
        .get(`/api/devops/runs/${runId}/logs`)
        .query({ follow: 'true', ...query });
      for (const [name, value] of Object.entries(headers)) req.set(name, value);
      const res = await req.buffer(true).parse(collectText);
      expect(res.status).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
      // The production root router compresses responses (the test backend's does not);
      // the compression middleware and proxies leave no-transform responses alone, so
      // events are not held back in a gzip buffer.
      expect(res.headers['cache-control']).toContain('no-transform');
      return parseEventStream(res.body);
    };

    const chunksOf = (events: ReturnType<typeof parseEventStream>) =>
      events
        .filter(e => e.event === 'log')
        .map(e => JSON.parse(e.data) as LogChunk);

    const sha256 = (text: string) =>
      createHash('sha256').update(text).digest('hex');

    describe('run now', () => {
      it('runs a pipeline with parameters and reports stages and tasks', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: [
              'echo "greeting=$GREETING build=$BUILD_ID"',
              'echo "second stage"',
            ],
          }),
        );

        const res = await api()
          .post(`/api/devops/pipelines/${pipeline.status.id}/runs`)
          .send({ params: { GREETING: 'hello-world' } });

        expect(res.status).toBe(201);
        // The fields of DESIGN.md's run, and nothing else (no spec, params or secrets).
        const runFields = [
          'id',
          'pipelineId',
          'pipelineName',
          'buildId',
          'status',
          'trigger',
          'commit',
          'branch',
          'paramNames',
          'queuedAt',
          'startedAt',
          'finishedAt',
          'durationMs',
          'message',
          'setup',
          'stages',
        ];
        expect(
          Object.keys(res.body).filter(k => !runFields.includes(k)),
        ).toEqual([]);
        expect(res.body).toMatchObject({
          id: expect.any(String),
          pipelineId: pipeline.status.id,
          pipelineName: pipeline.metadata.name,
          buildId: 1,
          status: expect.stringMatching(/^(queued|running)$/),
          trigger: {
            type: 'manual',
            user: 'user:default/mock',
            userName: 'Mock User',
          },
          paramNames: ['GREETING'],
          queuedAt: expect.any(String),
          stages: [
            expect.objectContaining({
              name: 'Stage 1',
              order: 'sequential',
              status: expect.any(String),
              tasks: [
                expect.objectContaining({
                  id: expect.any(String),
                  name: 'task-1',
                  type: 'runScript',
                  status: expect.any(String),
                }),
              ],
            }),
            expect.objectContaining({
              name: 'Stage 2',
              tasks: [
                expect.objectContaining({
                  name: 'task-2',
                  type: 'runScript',
                  status: 'queued',
                }),
              ],
            }),
          ],
        });
        expect(JSON.stringify(res.body)).not.toContain('hello-world');

        const run = await devops.waitForRun(res.body.id);
        expect(run).toMatchObject({
          id: res.body.id,
          buildId: 1,
          status: 'succeeded',
          startedAt: expect.any(String),
          finishedAt: expect.any(String),
          durationMs: expect.any(Number),
        });
        for (const stage of run.stages) {
          expect(stage).toMatchObject({
            status: 'succeeded',
            startedAt: expect.any(String),
            finishedAt: expect.any(String),
          });
          expect(stage.tasks).toEqual([
            expect.objectContaining({
              status: 'succeeded',
              exitCode: 0,
              startedAt: expect.any(String),
              finishedAt: expect.any(String),
            }),
          ]);
        }
        expect(new Date(run.finishedAt!).getTime()).toBeGreaterThanOrEqual(
          new Date(run.startedAt!).getTime(),
        );

        // A pipeline without a source skips the checkout.
        expect(run.setup).toEqual([
          expect.objectContaining({
            step: 'initialisation',
            name: 'Initialisation',
            status: 'succeeded',
            durationMs: expect.any(Number),
          }),
          expect.objectContaining({
            step: 'checkout',
            name: 'Checkout (no source)',
            status: 'skipped',
          }),
        ]);

        const log = await devops.downloadLog(run.id);
        expect(log).toContain('greeting=hello-world build=1');
        expect(log).toContain('second stage');

        const read = await api().get(
          `/api/devops/pipelines/${pipeline.status.id}`,
        );
        expect(read.body.status.lastRun).toMatchObject({
          id: run.id,
          buildId: 1,
          status: 'succeeded',
        });
      });

      it('fails at the first failing task and skips the later stages', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: ['echo before; exit 3', 'echo never-printed'],
          }),
        );

        const run = await devops.waitForRun(
          (
            await devops.startRun(pipeline.status.id)
          ).id,
        );

        expect(run.status).toBe('failed');
        expect(run.message).toContain('Script exited with code 3');
        expect(run.stages.map(s => s.status)).toEqual(['failed', 'skipped']);
        // The message quotes the last output, so the reason shows without the log.
        expect(run.stages[0].tasks[0]).toMatchObject({
          status: 'failed',
          exitCode: 3,
          message: 'Script exited with code 3; its last output: "before"',
        });
        expect(run.stages[1].tasks[0].status).toBe('skipped');
        const log = await devops.downloadLog(run.id);
        expect(log).toContain('before');
        expect(log).not.toContain('never-printed');
      });

      it('refuses bad run parameters', async () => {
        const pipeline = await devops.createPipeline(pipelineDocument());
        const base = `/api/devops/pipelines/${pipeline.status.id}/runs`;

        const builtIn = await api()
          .post(base)
          .send({ params: { BUILD_ID: '7' } });
        expect(builtIn.status).toBe(400);
        expect(builtIn.body.error.message).toContain('BUILD_ID');
        const badName = await api()
          .post(base)
          .send({ params: { 'not-a-name': 'x' } });
        expect(badName.status).toBe(400);
        expect(badName.body.error.message).toContain('params');
        const badValue = await api()
          .post(base)
          .send({ params: { OK: 5 } });
        expect(badValue.status).toBe(400);
        expect(badValue.body.error.message).toContain('params.OK');

        const runs = await api().get(base);
        expect(runs.body.totalCount).toBe(0);
      });
    });

    describe('run records', () => {
      it('lists runs newest first, paged', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({ scripts: ['true'] }),
        );
        const id = pipeline.status.id;
        for (let i = 0; i < 3; i++) {
          await devops.waitForRun((await devops.startRun(id)).id);
        }

        const first = await api()
          .get(`/api/devops/pipelines/${id}/runs`)
          .query({ limit: 2 });
        expect(first.status).toBe(200);
        expect(first.body.totalCount).toBe(3);
        expect(first.body.items.map((r: Run) => r.buildId)).toEqual([3, 2]);
        expect(first.body.items[0]).toMatchObject({
          pipelineId: id,
          status: 'succeeded',
          stages: [expect.objectContaining({ status: 'succeeded' })],
        });
        expect(first.body.nextCursor).toEqual(expect.any(String));

        const second = await api()
          .get(`/api/devops/pipelines/${id}/runs`)
          .query({ limit: 2, cursor: first.body.nextCursor });
        expect(second.body.items.map((r: Run) => r.buildId)).toEqual([1]);
        expect(second.body.totalCount).toBe(3);
        expect(second.body.nextCursor).toBeUndefined();

        const all = await api().get(`/api/devops/pipelines/${id}/runs`);
        expect(all.body.items.map((r: Run) => r.buildId)).toEqual([3, 2, 1]);
        expect(all.body.nextCursor).toBeUndefined();

        const bad = await api()
          .get(`/api/devops/pipelines/${id}/runs`)
          .query({ cursor: '%%' });
        expect(bad.status).toBe(400);
      });

      it('answers 404 for runs that do not exist', async () => {
        const id = 'deadbeef-0000-4000-8000-000000000000';
        const base = `/api/devops/runs/${id}`;
        const calls = [
          api().get(base),
          api().get(base).query({ follow: 'true' }),
          api().post(`${base}/rerun`).send({}),
          api().post(`${base}/stop`),
          api().get(`${base}/logs`),
          api().get(`${base}/logs`).query({ follow: 'true' }),
          api().get(`${base}/logs/download`),
        ];
        for (const res of await Promise.all(calls)) {
          expect(res.status).toBe(404);
          expect(res.body.error.message).toContain(id);
        }
      });
    });

    describe('source on an internal address', () => {
      it('fails the checkout before the backend contacts it, saying which setting allows it', async () => {
        const document = pipelineDocument();
        document.spec.source = {
          provider: 'git',
          // Where a cloud's metadata service answers.
          repository: 'http://169.254.169.254/latest/meta-data.git',
          branch: 'main',
        };
        const pipeline = await devops.createPipeline(document);

        const run = await devops.waitForRun(
          (
            await devops.startRun(pipeline.status.id)
          ).id,
        );

        expect(run.status).toBe('failed');
        const checkout = run.setup.find(step => step.step === 'checkout');
        expect(checkout).toMatchObject({ status: 'failed' });
        expect(checkout?.message).toBe(
          'The pipeline\'s repository "http://169.254.169.254/latest/meta-data.git" is on an internal address (169.254.169.254); a portal admin who wants pipelines to use it lists 169.254.169.254 under devops.repositories.allowedHosts',
        );
        expect(run.stages[0].tasks[0].status).toBe('skipped');
      });
    });

    describe('live run', () => {
      it('streams the run each time a status in it moves, and ends with the run', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: ['echo "building"; sleep 1', 'echo "testing"; sleep 0.5'],
          }),
        );
        const run = await devops.startRun(pipeline.status.id);

        const res = await api()
          .get(`/api/devops/runs/${run.id}`)
          .query({ follow: 'true' })
          .buffer(true)
          .parse(collectText);

        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toMatch(/^text\/event-stream/);
        const states = parseEventStream(res.body)
          .filter(e => e.event === 'run')
          .map(e => JSON.parse(e.data) as Run);
        const last = states[states.length - 1];
        // The stream ended on its own, with the run as GET gives it.
        expect(last).toEqual(await devops.getRun(run.id));
        expect(last.status).toBe('succeeded');
        // Each event says something new: the tasks were seen moving one after the other.
        const taskStatuses = states.map(state =>
          state.stages.flatMap(stage => stage.tasks.map(t => t.status)).join(),
        );
        expect(taskStatuses).toContain('running,queued');
        expect(taskStatuses).toContain('succeeded,running');
        for (let i = 1; i < states.length; i++) {
          expect(states[i]).not.toEqual(states[i - 1]);
        }
      });
    });

    describe('re-run', () => {
      it('repeats the snapshot of the run with a new BUILD_ID, even after an edit', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: ['echo "script v1 build=$BUILD_ID greeting=$GREETING"'],
          }),
        );
        const id = pipeline.status.id;
        const first = await devops.waitForRun(
          (
            await devops.startRun(id, { GREETING: 'hi' })
          ).id,
        );
        expect(first.status).toBe('succeeded');

        const edited = documentOf(pipeline);
        edited.spec.stages[0].tasks[0] = {
          ...edited.spec.stages[0].tasks[0],
          script: 'echo "script v2 build=$BUILD_ID"',
        } as (typeof edited.spec.stages)[0]['tasks'][0];
        edited.spec.stages.push({
          ...edited.spec.stages[0],
          name: 'Added later',
        });
        const updated = await api()
          .put(`/api/devops/pipelines/${id}`)
          .send({ ...edited, version: 1 });
        expect(updated.status).toBe(200);

        const rerun = await api()
          .post(`/api/devops/runs/${first.id}/rerun`)
          .send({});
        expect(rerun.status).toBe(201);
        expect(rerun.body).toMatchObject({
          buildId: 2,
          pipelineId: id,
          trigger: { type: 'rerun', user: 'user:default/mock', rerunOf: 1 },
          paramNames: ['GREETING'],
        });
        expect(rerun.body.id).not.toBe(first.id);
        expect(rerun.body.stages.map((s: { name: string }) => s.name)).toEqual([
          'Stage 1',
        ]);

        const done = await devops.waitForRun(rerun.body.id);
        expect(done.status).toBe('succeeded');
        const log = await devops.downloadLog(done.id);
        expect(log).toContain('script v1 build=2 greeting=hi');
        expect(log).not.toContain('script v2');

        // A new run takes the pipeline as it is now.
        const fresh = await devops.waitForRun((await devops.startRun(id)).id);
        expect(fresh.buildId).toBe(3);
        expect(fresh.stages.map(s => s.name)).toEqual([
          'Stage 1',
          'Added later',
        ]);
        expect(await devops.downloadLog(fresh.id)).toContain(
          'script v2 build=3',
        );

        // The original run is unchanged.
        expect(await devops.getRun(first.id)).toEqual(first);
      });

      it('refuses to re-run a run of an inactive pipeline', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({ scripts: ['true'] }),
        );
        const run = await devops.waitForRun(
          (
            await devops.startRun(pipeline.status.id)
          ).id,
        );
        await api()
          .post(`/api/devops/pipelines/${pipeline.status.id}/deactivate`)
          .expect(200);

        const res = await api()
          .post(`/api/devops/runs/${run.id}/rerun`)
          .send({});

        expect(res.status).toBe(409);
        expect(res.body.error.message).toMatch(/inactive.*activate it/);
      });
    });

    describe('stop', () => {
      /** Starts a run of `sleep 30` and waits until its script has begun. */
      const startLongRun = async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: [
              'echo "long task started"; sleep 30',
              'echo never-printed',
            ],
          }),
        );
        const run = await devops.startRun(pipeline.status.id);
        // The task is marked running before its process starts: wait for its output.
        await devops.waitForLog(run.id, 'long task started');
        return { pipeline, run };
      };

      const expectStopped = (run: Run) => {
        expect(run.status).toBe('stopped');
        expect(run.stages[0].tasks[0].status).toBe('stopped');
        expect(run.stages[1].tasks[0].status).toBe('skipped');
        expect(run.stages.map(s => s.status)).toEqual(['stopped', 'skipped']);
      };

      it('stops a running run quickly', async () => {
        const { pipeline, run } = await startLongRun();

        const asked = Date.now();
        const res = await api().post(`/api/devops/runs/${run.id}/stop`);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(run.id);

        const stopped = await devops.waitForRun(run.id);
        // Ended by the stop, not by the end of `sleep 30` (server time, not polling).
        expect(new Date(stopped.finishedAt!).getTime() - asked).toBeLessThan(
          5_000,
        );
        expectStopped(stopped);
        expect(stopped.message).toContain('Stopped');

        const again = await api().post(`/api/devops/runs/${run.id}/stop`);
        expect(again.status).toBe(409);
        expect(again.body.error.message).toContain('already ended');

        // The log says so and its stream ends with the final status.
        const events = await followLog(run.id);
        expect(events[events.length - 1]).toEqual({
          event: 'end',
          data: JSON.stringify({ status: 'stopped' }),
        });
        const text = chunksOf(events)
          .map(c => c.text)
          .join('');
        expect(text).toContain('long task started');
        expect(text).not.toContain('never-printed');

        // Stopped runs can be deleted with their pipeline.
        expect(
          (await api().delete(`/api/devops/pipelines/${pipeline.status.id}`))
            .status,
        ).toBe(204);
        expect((await api().get(`/api/devops/runs/${run.id}`)).status).toBe(
          404,
        );
        // ...and their rows go with it.
        expect(await devops.knex('runs').where({ id: run.id })).toEqual([]);
        expect(
          await devops.knex('log_chunks').where({ run_id: run.id }),
        ).toEqual([]);
        expect(
          await devops.knex('task_runs').where({ run_id: run.id }),
        ).toEqual([]);
      });

      it('stops the latest running run of a pipeline', async () => {
        const { pipeline, run } = await startLongRun();
        const id = pipeline.status.id;

        const asked = Date.now();
        const res = await api().post(`/api/devops/pipelines/${id}/stop`);
        expect(res.status).toBe(200);
        expect(res.body.id).toBe(run.id);
        const stopped = await devops.waitForRun(run.id);
        // Ended by the stop, not by the end of `sleep 30` (server time, not polling).
        expect(new Date(stopped.finishedAt!).getTime() - asked).toBeLessThan(
          5_000,
        );
        expectStopped(stopped);

        const nothing = await api().post(`/api/devops/pipelines/${id}/stop`);
        expect(nothing.status).toBe(409);
        expect(nothing.body.error.message).toContain('no run in progress');
      });

      it('deletes a pipeline with a run in progress by stopping the run first', async () => {
        const { pipeline, run } = await startLongRun();
        // A second run waits behind the first (the pipeline's runs queue).
        const queued = await devops.startRun(pipeline.status.id);

        const asked = Date.now();
        const remove = await api().delete(
          `/api/devops/pipelines/${pipeline.status.id}`,
        );
        expect(remove.status).toBe(204);
        // Not by the end of `sleep 30`: the run was stopped, then its rows went.
        expect(Date.now() - asked).toBeLessThan(10_000);
        for (const id of [run.id, queued.id]) {
          expect(await devops.knex('runs').where({ id })).toEqual([]);
          expect(await devops.knex('task_runs').where({ run_id: id })).toEqual(
            [],
          );
        }
        expect(
          (await api().get(`/api/devops/pipelines/${pipeline.status.id}`))
            .status,
        ).toBe(404);
      });
    });

    describe('logs', () => {
      /** A finished run whose log has several chunks: output on both sides of a pause. */
      const finishedRun = async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: ['echo "line one"; sleep 0.5; echo "line two"'],
          }),
        );
        return devops.waitForRun(
          (await devops.startRun(pipeline.status.id)).id,
        );
      };

      it('streams the whole log as server-sent events ending with an end event', async () => {
        const run = await finishedRun();

        const events = await followLog(run.id);

        const logs = events.filter(e => e.event === 'log');
        expect(logs.length).toBeGreaterThanOrEqual(3);
        const chunks = chunksOf(events);
        expect(logs.map(e => Number(e.id))).toEqual(chunks.map(c => c.seq));
        expect(chunks.map(c => c.seq)).toEqual(chunks.map((_, i) => i + 1));
        expect(events[events.length - 1]).toEqual({
          event: 'end',
          data: JSON.stringify({ status: 'succeeded' }),
        });
        expect(events.filter(e => e.event === 'end')).toHaveLength(1);
        const text = chunks.map(c => c.text).join('');
        expect(text).toMatch(/line one\n[^]*line two\n/);
        // Every line is timestamped.
        for (const line of text.split('\n').filter(Boolean)) {
          expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /);
        }
        // Task lines carry the task run id.
        const taskId = run.stages[0].tasks[0].id;
        expect(chunks.find(c => c.text.includes('line one'))?.taskId).toBe(
          taskId,
        );
      });

      it('resumes after a sequence number, from the query or the Last-Event-ID header', async () => {
        const run = await finishedRun();
        const all = chunksOf(await followLog(run.id));
        const cut = all.find(c => c.text.includes('line one'))!.seq;
        expect(all.some(c => c.seq > cut && c.text.includes('line two'))).toBe(
          true,
        );

        for (const resumed of [
          await followLog(run.id, { after: String(cut) }),
          await followLog(run.id, {}, { 'Last-Event-ID': String(cut) }),
        ]) {
          const chunks = chunksOf(resumed);
          expect(chunks).toEqual(all.filter(c => c.seq > cut));
          expect(chunks.map(c => c.text).join('')).not.toContain('line one');
          expect(resumed[resumed.length - 1].event).toBe('end');
        }

        // A position that is not a sequence number is refused.
        const bad = await api()
          .get(`/api/devops/runs/${run.id}/logs`)
          .query({ after: 'abc' });
        expect(bad.status).toBe(400);
        expect(bad.body.error.message).toContain('after');

        // Resuming after the last chunk gives only the end.
        const last = all[all.length - 1].seq;
        const tail = await followLog(run.id, { after: String(last) });
        expect(tail.map(e => e.event)).toEqual(['end']);

        // The same pages without follow, as JSON.
        const page = await api()
          .get(`/api/devops/runs/${run.id}/logs`)
          .query({ after: cut });
        expect(page.status).toBe(200);
        expect(page.body).toEqual({
          items: all.filter(c => c.seq > cut),
          done: true,
        });
        const taskId = run.stages[0].tasks[0].id;
        const ofTask = await api()
          .get(`/api/devops/runs/${run.id}/logs`)
          .query({ task: taskId });
        expect(ofTask.body.items.length).toBeGreaterThan(0);
        expect(
          ofTask.body.items.every((c: LogChunk) => c.taskId === taskId),
        ).toBe(true);

        // task=initialisation: the run's own lines only (its start and end).
        const ofRun = await api()
          .get(`/api/devops/runs/${run.id}/logs`)
          .query({ task: 'initialisation' });
        expect(ofRun.body.items.length).toBeGreaterThan(0);
        expect(ofRun.body.items.every((c: LogChunk) => !c.taskId)).toBe(true);
        expect(ofRun.body.items[0].text).toMatch(/Started by user/);
      });

      it('delivers lines while the run is still going', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: ['echo "first live line"; sleep 3; echo "last live line"'],
          }),
        );
        const run = await devops.startRun(pipeline.status.id);

        // Read with a raw client, as a browser would, to see when each event arrives.
        const { statusAtFirstLine, text } = await new Promise<{
          statusAtFirstLine?: string;
          text: string;
        }>((resolve, reject) => {
          const req = http.get(
            `${devops.baseUrl}/runs/${run.id}/logs?follow=true`,
            {
              headers: {
                'Accept-Encoding': 'gzip, deflate',
                Accept: 'text/event-stream',
              },
            },
            res => {
              const body: NodeJS.ReadableStream =
                res.headers['content-encoding'] === 'gzip'
                  ? res.pipe(zlib.createGunzip())
                  : res;
              let received = '';
              let statusCheck: Promise<string> | undefined;
              body.setEncoding('utf8');
              body.on('data', (chunk: string) => {
                received += chunk;
                if (!statusCheck && received.includes('first live line')) {
                  statusCheck = devops.getRun(run.id).then(r => r.status);
                }
              });
              body.on('end', () => {
                Promise.resolve(statusCheck).then(
                  status =>
                    resolve({ statusAtFirstLine: status, text: received }),
                  reject,
                );
              });
              body.on('error', reject);
            },
          );
          req.on('error', reject);
        });

        expect(statusAtFirstLine).toBe('running');
        const events = parseEventStream(text);
        expect(events[events.length - 1]).toEqual({
          event: 'end',
          data: JSON.stringify({ status: 'succeeded' }),
        });
        expect(
          chunksOf(events)
            .map(c => c.text)
            .join(''),
        ).toContain('last live line');
        expect((await devops.getRun(run.id)).status).toBe('succeeded');
      });

      it('stops reading the log when the client goes away', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            scripts: ['echo "waiting for the reader to leave"; sleep 30'],
          }),
        );
        const run = await devops.startRun(pipeline.status.id);
        const list = jest.spyOn(DatabaseLogStore.prototype, 'list');
        try {
          await new Promise<void>((resolve, reject) => {
            const req = http.get(
              `${devops.baseUrl}/runs/${run.id}/logs?follow=true`,
              res => {
                let received = '';
                res.setEncoding('utf8');
                res.on('data', (chunk: string) => {
                  received += chunk;
                  if (received.includes('waiting for the reader to leave')) {
                    req.destroy();
                    resolve();
                  }
                });
              },
            );
            req.on('error', error => {
              if (!req.destroyed) reject(error);
            });
          });

          // The stream polls every 200 ms while the run goes on; once the reader is gone
          // there must be a quiet second.
          const deadline = Date.now() + 5_000;
          let calls = list.mock.calls.length;
          let quietSince = Date.now();
          while (Date.now() - quietSince < 1_000) {
            if (Date.now() > deadline) {
              throw new Error(
                'The log stream kept polling after its client disconnected',
              );
            }
            await new Promise(resolve => setTimeout(resolve, 100));
            if (list.mock.calls.length !== calls) {
              calls = list.mock.calls.length;
              quietSince = Date.now();
            }
          }
          expect((await devops.getRun(run.id)).status).toBe('running');
        } finally {
          list.mockRestore();
          await api().post(`/api/devops/runs/${run.id}/stop`);
          await devops.waitForRun(run.id);
        }
      });

      it('downloads the full log as text/plain, lines prefixed with the task name', async () => {
        const run = await finishedRun();

        const res = await api()
          .get(`/api/devops/runs/${run.id}/logs/download`)
          .buffer(true)
          .parse(collectText);

        expect(res.status).toBe(200);
        expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
        expect(res.headers['content-disposition']).toBe(
          `attachment; filename="${run.pipelineName}-${run.buildId}.log"`,
        );
        const lines: string[] = res.body.split('\n');
        expect(lines[lines.length - 1]).toBe('');
        expect(lines).toContainEqual(
          expect.stringMatching(/^\[task-1\] \S+Z line one$/),
        );
        expect(lines).toContainEqual(
          expect.stringMatching(/^\[task-1\] \S+Z line two$/),
        );
        expect(lines.findIndex(l => l.endsWith(' line one'))).toBeLessThan(
          lines.findIndex(l => l.endsWith(' line two')),
        );
        // Lines about the whole run have no prefix and come first.
        expect(lines[0]).toMatch(/^\S+Z \[Normal\] Started by user Mock User$/);
        expect(lines[lines.length - 2]).toMatch(/Run #1 succeeded/);
        // The download holds exactly what the stream holds.
        const streamed = chunksOf(await followLog(run.id))
          .map(c => c.text)
          .join('');
        expect(
          res.body.replace(/^\[(task-1|Checkout \(no source\))\] /gm, ''),
        ).toBe(streamed);
      });
    });

    describe('secret parameters', () => {
      const secret = 'masked-s3cr3t-value';

      it('masks secret values in the stored log, and keeps them when an update omits them', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({
            parameters: [
              { name: 'TOKEN', value: secret, secret: true },
              { name: 'PLAIN', value: 'plain-value' },
            ],
            scripts: [
              'echo "token=$TOKEN plain=$PLAIN"; printf "%s" "$TOKEN" | sha256sum',
            ],
          }),
        );
        const id = pipeline.status.id;
        const first = await devops.waitForRun((await devops.startRun(id)).id);
        expect(first.status).toBe('succeeded');

        const log = await devops.downloadLog(first.id);
        expect(log).toContain('token=*** plain=plain-value');
        expect(log).toContain(sha256(secret));
        expect(log).not.toContain(secret);
        const streamed = chunksOf(await followLog(first.id))
          .map(c => c.text)
          .join('');
        expect(streamed).toContain('token=***');
        expect(streamed).not.toContain(secret);
        const rows = await devops
          .knex('log_chunks')
          .where({ run_id: first.id });
        expect(rows.length).toBeGreaterThan(0);
        expect(JSON.stringify(rows)).not.toContain(secret);
        // Nor do the run rows hold it in clear text.
        const runRows = await devops.knex('runs').where({ id: first.id });
        expect(JSON.stringify(runRows)).not.toContain(secret);

        // An update that leaves the value out keeps it.
        const document = documentOf(pipeline);
        expect(document.spec.parameters![0]).toEqual({
          name: 'TOKEN',
          secret: true,
        });
        document.metadata.title = 'Edited without the secret';
        const kept = await api()
          .put(`/api/devops/pipelines/${id}`)
          .send({ ...document, version: 1 });
        expect(kept.status).toBe(200);
        expect(JSON.stringify(kept.body)).not.toContain(secret);
        const second = await devops.waitForRun((await devops.startRun(id)).id);
        const secondLog = await devops.downloadLog(second.id);
        expect(secondLog).toContain(sha256(secret));
        expect(secondLog).toContain('token=***');

        // An update with a value replaces it.
        document.spec.parameters![0] = {
          name: 'TOKEN',
          value: 'another-value',
          secret: true,
        };
        const replaced = await api()
          .put(`/api/devops/pipelines/${id}`)
          .send({ ...document, version: 2 });
        expect(replaced.status).toBe(200);
        const third = await devops.waitForRun((await devops.startRun(id)).id);
        const thirdLog = await devops.downloadLog(third.id);
        expect(thirdLog).toContain(sha256('another-value'));
        expect(thirdLog).toContain('token=***');
        expect(thirdLog).not.toContain('another-value');
      });
    });

    describe('BUILD_ID', () => {
      it('gives 20 concurrent runs the ids 1..20 without gaps or duplicates', async () => {
        const pipeline = await devops.createPipeline(
          pipelineDocument({ scripts: ['echo "build $BUILD_ID"'] }),
        );
        const id = pipeline.status.id;

        const responses = await Promise.all(
          Array.from({ length: 20 }, () =>
            api().post(`/api/devops/pipelines/${id}/runs`).send({}),
          ),
        );

        expect(responses.map(r => r.status)).toEqual(Array(20).fill(201));
        const buildIds = responses
          .map(r => r.body.buildId as number)
          .sort((a, b) => a - b);
        expect(buildIds).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));

        const finished = await Promise.all(
          responses.map(r => devops.waitForRun(r.body.id, undefined, 45_000)),
        );
        expect(finished.map(r => r.status)).toEqual(
          Array(20).fill('succeeded'),
        );
        for (const run of finished.slice(0, 3)) {
          expect(await devops.downloadLog(run.id)).toContain(
            `build ${run.buildId}\n`,
          );
        }
        const records = await api()
          .get(`/api/devops/pipelines/${id}/runs`)
          .query({ limit: 100 });
        expect(records.body.totalCount).toBe(20);
        expect(records.body.items.map((r: Run) => r.buildId)).toEqual(
          Array.from({ length: 20 }, (_, i) => 20 - i),
        );

        // The next run continues the sequence.
        const next = await devops.startRun(id);
        expect(next.buildId).toBe(21);
        await devops.waitForRun(next.id);
      });
    });
  });
});

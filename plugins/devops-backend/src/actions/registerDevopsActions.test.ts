import { TestDatabases } from '@backstage/backend-test-utils';
import {
  DevopsTestBackend,
  PermissionDecider,
  allow,
  deny,
  onlyCreatedBy,
  pipelineDocument,
  uniqueName,
  userHeader,
} from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(60_000);

const ACTIONS = '/api/devops/.backstage/actions/v1/actions';
const mock = 'user:default/mock';
const bob = 'user:default/bob';

/**
 * The devops actions as an MCP client or a script reaches them: through the actions
 * registry's HTTP API on the real plugin, with runs really executed by the local
 * executor, each answer compared with what the HTTP API answers the same caller.
 */
describe('devops actions', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let devops: DevopsTestBackend;

    beforeAll(async () => {
      devops = await DevopsTestBackend.start(await databases.init(databaseId));
    });

    afterAll(async () => {
      await devops?.stop();
    });

    afterEach(() => devops.resetPermissions());

    /** Invokes `devops:<name>` as `user`, as the actions service does. */
    const invoke = (name: string, input: object, user = mock) =>
      devops.http
        .post(`${ACTIONS}/${encodeURIComponent(`devops:${name}`)}/invoke`)
        .set('Authorization', userHeader(user))
        .send(input);

    /** The output of a successful invocation. */
    const output = async (name: string, input: object, user = mock) => {
      const res = await invoke(name, input, user);
      if (res.status !== 200) {
        throw new Error(
          `devops:${name} gave ${res.status}: ${JSON.stringify(res.body)}`,
        );
      }
      return res.body.output;
    };

    /** The same request to the HTTP API, as `user`. */
    const api = (method: 'get' | 'post', path: string, user = mock) =>
      devops.http[method](`/api/devops${path}`).set(
        'Authorization',
        userHeader(user),
      );

    /** Reads the log's tail through get-run-log until it shows `text`. */
    const waitForTail = async (runId: string, text: string) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const tail = await output('get-run-log', { runId });
        if (tail.text.includes(text)) return tail;
        if (Date.now() > deadline) {
          throw new Error(`The log of ${runId} did not show "${text}"`);
        }
        await new Promise(resolve => setTimeout(resolve, 50));
      }
    };

    const runUrl = (runId: string) =>
      `http://localhost:3000/devops/runs/${runId}`;

    it('are listed by the actions registry with their attributes', async () => {
      const listed = await devops.http
        .get(ACTIONS)
        .set('Authorization', userHeader(mock));
      expect(listed.status).toBe(200);
      const actions = Object.fromEntries(
        listed.body.actions.map((a: { id: string }) => [a.id, a]),
      );
      expect(
        Object.keys(actions)
          .filter(id => id.startsWith('devops:'))
          .sort(),
      ).toEqual([
        'devops:get-run',
        'devops:get-run-log',
        'devops:list-pipelines',
        'devops:run-pipeline',
        'devops:stop-run',
      ]);
      const readOnly = { readOnly: true, destructive: false, idempotent: true };
      expect(actions['devops:list-pipelines'].attributes).toEqual(readOnly);
      expect(actions['devops:get-run'].attributes).toEqual(readOnly);
      expect(actions['devops:get-run-log'].attributes).toEqual(readOnly);
      expect(actions['devops:run-pipeline'].attributes).toEqual({
        readOnly: false,
        destructive: true,
        idempotent: false,
      });
      expect(actions['devops:stop-run'].attributes).toEqual({
        readOnly: false,
        destructive: true,
        idempotent: true,
      });
      // What an MCP client shows as the tool's arguments.
      expect(actions['devops:run-pipeline'].schema.input).toMatchObject({
        type: 'object',
        properties: {
          pipelineId: { type: 'string' },
          params: {
            type: 'object',
            additionalProperties: { type: 'string' },
          },
        },
        required: ['pipelineId'],
      });
      expect(
        actions['devops:get-run-log'].schema.input.properties.lines,
      ).toMatchObject({ type: 'integer', minimum: 1, maximum: 1000 });

      // The id unencoded in the path, as the README's curl sends it.
      const unencoded = await devops.http
        .post(`${ACTIONS}/devops:get-run/invoke`)
        .set('Authorization', userHeader(mock))
        .send({ runId: 'none' });
      expect(unencoded.body.error).toMatchObject({
        name: 'NotFoundError',
        message: 'No run with id none',
      });
    });

    it('run-pipeline starts a run with params; get-run and get-run-log follow it', async () => {
      const pipeline = await devops.createPipeline(
        pipelineDocument({
          scripts: [
            'echo "greeting=$GREETING build=$BUILD_ID"',
            'echo "second stage"',
          ],
        }),
      );

      const started = await output(
        'run-pipeline',
        { pipelineId: pipeline.status.id, params: { GREETING: 'hi-mcp' } },
        bob,
      );
      expect(started).toEqual({
        runId: expect.any(String),
        buildId: 1,
        pipelineId: pipeline.status.id,
        pipelineName: pipeline.metadata.name,
        status: expect.stringMatching(/^(queued|running)$/),
        url: runUrl(started.runId),
      });

      const ended = await devops.waitForRun(started.runId);
      expect(ended.status).toBe('succeeded');
      // Started as the caller, whose credentials the action was given.
      expect(ended.trigger).toMatchObject({ type: 'manual', user: bob });
      expect(ended.paramNames).toEqual(['GREETING']);

      // get-run: the run as GET /runs/:runId gives it, with runId and its page.
      const run = await output('get-run', { runId: started.runId });
      const { id, ...fromApi } = (await api('get', `/runs/${started.runId}`))
        .body;
      expect(run).toEqual({ runId: id, ...fromApi, url: runUrl(id) });
      expect(run.stages.map((s: { status: string }) => s.status)).toEqual([
        'succeeded',
        'succeeded',
      ]);
      expect(run.stages[0].tasks[0]).toMatchObject({
        name: 'task-1',
        status: 'succeeded',
        exitCode: 0,
        durationMs: expect.any(Number),
      });
      expect(run.setup[0]).toMatchObject({
        step: 'initialisation',
        status: 'succeeded',
      });

      // get-run-log: the whole log fits in the default tail; tasks' lines are labelled.
      const tail = await output('get-run-log', { runId: started.runId });
      expect(tail).toMatchObject({
        runId: started.runId,
        status: 'succeeded',
        ended: true,
        omittedLines: 0,
      });
      const lines: string[] = tail.text.split('\n');
      expect(lines).toHaveLength(tail.lineCount);
      expect(lines).toContainEqual(
        expect.stringMatching(/^\[task-1\] \S+ greeting=hi-mcp build=1$/),
      );
      expect(lines).toContainEqual(
        expect.stringMatching(/^\[task-2\] \S+ second stage$/),
      );

      // The last lines only.
      const last = await output('get-run-log', {
        runId: started.runId,
        lines: 2,
      });
      expect(last).toMatchObject({
        lineCount: 2,
        omittedLines: lines.length - 2,
        text: lines.slice(-2).join('\n'),
      });

      // One task's lines, unlabelled; the run's own lines.
      const task1 = await output('get-run-log', {
        runId: started.runId,
        task: run.stages[0].tasks[0].id,
      });
      expect(task1.text).toMatch(/^\S+ greeting=hi-mcp build=1$/m);
      expect(task1.text).not.toContain('second stage');
      expect(task1.text).not.toContain('[task-1]');
      const own = await output('get-run-log', {
        runId: started.runId,
        task: 'initialisation',
      });
      expect(own.lineCount).toBeGreaterThan(0);
      expect(own.text).not.toContain('greeting=');
    });

    it('list-pipelines lists the pipelines of an entity with their latest run', async () => {
      const entityRef = `component:default/${uniqueName('actions')}`;
      const ran = await devops.createPipeline(
        pipelineDocument({
          entityRef,
          parameters: [{ name: 'VERSION', value: '1' }],
        }),
      );
      const idle = await devops.createPipeline(pipelineDocument({ entityRef }));
      const elsewhere = await devops.createPipeline(pipelineDocument());
      const run = await devops.startRun(ran.status.id);
      await devops.waitForRun(run.id);

      const listed = await output('list-pipelines', { entityRef });
      const fromApi = (await api('get', `/pipelines?entityRef=${entityRef}`))
        .body;
      expect(listed.totalCount).toBe(2);
      // In the API's order, each with its latest run as the API summarises it.
      expect(listed.pipelines.map((p: { id: string }) => p.id)).toEqual(
        fromApi.items.map((p: { status: { id: string } }) => p.status.id),
      );
      const byId = Object.fromEntries(
        listed.pipelines.map((p: { id: string }) => [p.id, p]),
      );
      expect(byId[idle.status.id]).toEqual({
        id: idle.status.id,
        name: idle.metadata.name,
        entityRef,
        active: true,
        parameters: [],
      });
      expect(byId[ran.status.id]).toMatchObject({
        name: ran.metadata.name,
        parameters: ['VERSION'],
        lastRun: {
          runId: run.id,
          buildId: 1,
          status: 'succeeded',
          durationMs: expect.any(Number),
          url: runUrl(run.id),
        },
      });
      expect(byId[elsewhere.status.id]).toBeUndefined();

      // Pages, with the API's cursor.
      const first = await output('list-pipelines', { entityRef, limit: 1 });
      expect(first.pipelines).toHaveLength(1);
      const second = await output('list-pipelines', {
        entityRef,
        limit: 1,
        cursor: first.nextCursor,
      });
      expect(second.nextCursor).toBeUndefined();
      expect([first.pipelines[0].id, second.pipelines[0].id]).toEqual(
        listed.pipelines.map((p: { id: string }) => p.id),
      );
    });

    it('stop-run stops a running run, and refuses one that ended as the API does', async () => {
      const pipeline = await devops.createPipeline(
        pipelineDocument({
          scripts: ['echo "long task started"; sleep 30', 'echo never-printed'],
        }),
      );
      const { runId } = await output('run-pipeline', {
        pipelineId: pipeline.status.id,
      });
      const running = await waitForTail(runId, 'long task started');
      expect(running).toMatchObject({ status: 'running', ended: false });

      const asked = Date.now();
      const stopping = await output('stop-run', { runId });
      expect(stopping).toMatchObject({ runId, buildId: 1, url: runUrl(runId) });
      const stopped = await devops.waitForRun(runId);
      expect(stopped.status).toBe('stopped');
      // Ended by the stop, not by the end of `sleep 30`.
      expect(new Date(stopped.finishedAt!).getTime() - asked).toBeLessThan(
        5_000,
      );
      const tail = await output('get-run-log', { runId });
      expect(tail).toMatchObject({ status: 'stopped', ended: true });
      expect(tail.text).not.toContain('never-printed');

      const again = await invoke('stop-run', { runId });
      const fromApi = await api('post', `/runs/${runId}/stop`);
      expect(again.status).toBe(409);
      expect(again.body.error).toEqual(fromApi.body.error);
      expect(again.body.error.message).toContain('already ended');
    });

    describe('permissions, checked as the calling user', () => {
      /** A pipeline with one finished run, created and run by the default user. */
      const pipelineWithRun = async () => {
        const pipeline = await devops.createPipeline(pipelineDocument());
        const run = await devops.startRun(pipeline.status.id);
        await devops.waitForRun(run.id);
        return { pipeline, run };
      };

      /** Denies `bob` what `denied` names, everything else allowed. */
      const denyBob =
        (denied: (permission: string) => boolean): PermissionDecider =>
        (permission, caller) =>
          caller === bob && denied(permission)
            ? deny(permission, caller)
            : allow(permission, caller);

      it('a user who may not see the pipeline finds nothing, as in the API', async () => {
        const { pipeline, run } = await pipelineWithRun();
        devops.setPermissions(denyBob(() => true));

        expect(
          await output(
            'list-pipelines',
            { entityRef: pipeline.metadata.entityRef },
            bob,
          ),
        ).toEqual({ pipelines: [], totalCount: 0 });

        const refusals = [
          [
            await invoke(
              'run-pipeline',
              { pipelineId: pipeline.status.id },
              bob,
            ),
            await api('post', `/pipelines/${pipeline.status.id}/runs`, bob),
          ],
          [
            await invoke('get-run', { runId: run.id }, bob),
            await api('get', `/runs/${run.id}`, bob),
          ],
          [
            await invoke('get-run-log', { runId: run.id }, bob),
            await api('get', `/runs/${run.id}/logs/download`, bob),
          ],
          [
            await invoke('stop-run', { runId: run.id }, bob),
            await api('post', `/runs/${run.id}/stop`, bob),
          ],
        ];
        for (const [action, route] of refusals) {
          expect(action.status).toBe(404);
          expect(action.body.error.name).toBe('NotFoundError');
          expect(action.body.error).toEqual(route.body.error);
        }
        expect(refusals[0][0].body.error.message).toBe(
          `No pipeline with id ${pipeline.status.id}`,
        );
        expect(refusals[1][0].body.error.message).toBe(
          `No run with id ${run.id}`,
        );

        // Another user, whom the policy allows, sees them.
        expect(await output('get-run', { runId: run.id })).toMatchObject({
          runId: run.id,
        });
      });

      it('a user who may read but not run gets the NotAllowedError the API gives', async () => {
        const { pipeline, run } = await pipelineWithRun();
        devops.setPermissions(
          denyBob(permission => permission === 'devops.pipeline.execute'),
        );

        const runAction = await invoke(
          'run-pipeline',
          { pipelineId: pipeline.status.id },
          bob,
        );
        const runRoute = await api(
          'post',
          `/pipelines/${pipeline.status.id}/runs`,
          bob,
        );
        const stopAction = await invoke('stop-run', { runId: run.id }, bob);
        const stopRoute = await api('post', `/runs/${run.id}/stop`, bob);
        for (const [action, route] of [
          [runAction, runRoute],
          [stopAction, stopRoute],
        ]) {
          expect(action.status).toBe(403);
          expect(action.body.error).toEqual(route.body.error);
        }
        expect(runAction.body.error).toMatchObject({
          name: 'NotAllowedError',
          message: `You are not allowed to execute pipelines "${pipeline.metadata.name}"`,
        });
        // No run was queued; reading is still allowed.
        const runs = await api('get', `/pipelines/${pipeline.status.id}/runs`);
        expect(runs.body.totalCount).toBe(1);
        expect(await output('get-run', { runId: run.id }, bob)).toMatchObject({
          runId: run.id,
          status: 'succeeded',
        });
      });

      it("a conditional decision is applied to the caller's pipeline", async () => {
        const { pipeline, run } = await pipelineWithRun();
        // Bob may see only the pipelines he created; this one is the default user's.
        devops.setPermissions((permission, caller) =>
          caller === bob ? onlyCreatedBy(bob) : allow(permission, caller),
        );
        expect((await invoke('get-run', { runId: run.id }, bob)).status).toBe(
          404,
        );
        expect(
          (
            await output(
              'list-pipelines',
              { entityRef: pipeline.metadata.entityRef },
              bob,
            )
          ).totalCount,
        ).toBe(0);
        expect((await invoke('get-run', { runId: run.id })).status).toBe(200);
      });
    });

    it('refuses bad input as the API does', async () => {
      const pipeline = await devops.createPipeline(pipelineDocument());
      const id = pipeline.status.id;

      // A built-in variable: the API's schema and words.
      const builtIn = await invoke('run-pipeline', {
        pipelineId: id,
        params: { BUILD_ID: '7' },
      });
      const builtInRoute = await api('post', `/pipelines/${id}/runs`).send({
        params: { BUILD_ID: '7' },
      });
      expect(builtIn.status).toBe(400);
      expect(builtIn.body.error).toEqual(builtInRoute.body.error);

      // An inactive pipeline refuses runs.
      await api('post', `/pipelines/${id}/deactivate`);
      const inactive = await invoke('run-pipeline', { pipelineId: id });
      expect(inactive.status).toBe(409);
      expect(inactive.body.error.message).toContain('activate it');

      // A NUL, which PostgreSQL cannot compare, is refused before any lookup.
      const nul = await invoke('get-run', { runId: 'abc\u0000' });
      expect(nul.status).toBe(400);
      expect(nul.body.error.message).toBe(
        'The request holds a NUL character (\\u0000) in "runId" of the input; no id, name or text may contain one',
      );

      // Out of the schema's bounds: the registry refuses it.
      const tooMany = await invoke('get-run-log', {
        runId: 'any',
        lines: 5000,
      });
      expect(tooMany.status).toBe(400);
      expect(tooMany.body.error.name).toBe('InputError');
    });
  });
});

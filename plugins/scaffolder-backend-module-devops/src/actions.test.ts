import {
  TestDatabases,
  createMockDirectory,
} from '@backstage/backend-test-utils';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { stringify as stringifyYaml } from 'yaml';
import {
  APP_BASE_URL,
  DevopsBackend,
  actionContext,
  pipelineDocument,
  uniqueName,
} from './__testUtils__/devopsBackend';

jest.setTimeout(60_000);

/**
 * The actions against the real devops backend plugin: its HTTP API, permission checks
 * and run engine (the local executor), called as the template's user.
 */
describe('devops scaffolder actions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  const devops = new DevopsBackend();
  const workspace = createMockDirectory();

  beforeAll(async () => {
    await devops.start(await databases.init('SQLITE_3'));
  });

  afterAll(async () => {
    await devops.stop();
  });

  afterEach(() => {
    devops.resetPolicy();
    jest.restoreAllMocks();
  });

  describe('devops:pipeline:create', () => {
    it('creates a pipeline from a document, as the template user', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument();
      const { ctx, outputs } = actionContext(
        { document },
        { userRef: 'user:default/alice' },
      );

      await create.handler(ctx);

      const id = outputs.pipelineId as string;
      expect(outputs).toEqual({
        pipelineId: expect.any(String),
        pipelineName: document.metadata.name,
        entityRef: document.metadata.entityRef,
        pipelineUrl: `${APP_BASE_URL}/devops/pipelines/${id}`,
        created: true,
      });
      const stored = await devops.getPipeline(id);
      expect(stored.metadata).toEqual(document.metadata);
      expect(stored.spec.stages[0].tasks[0].name).toBe('task-1');
      // The backend saw the template's user, not the scaffolder.
      expect(stored.status.createdBy).toBe('user:default/alice');
    });

    it('creates a pipeline from a YAML file in the workspace', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument({
        parameters: [{ name: 'GREETING', value: 'hello' }],
      });
      workspace.setContent({
        'service/pipeline.yaml': stringifyYaml(document),
      });
      const { ctx, outputs } = actionContext(
        { path: 'service/pipeline.yaml' },
        { workspacePath: workspace.path },
      );

      await create.handler(ctx);

      const stored = await devops.getPipeline(outputs.pipelineId as string);
      expect(stored.metadata.name).toBe(document.metadata.name);
      expect(stored.spec.parameters).toEqual([
        { name: 'GREETING', value: 'hello' },
      ]);
    });

    it('creates a pipeline from YAML text', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument();
      const { ctx, outputs } = actionContext({
        yaml: stringifyYaml(document),
      });

      await create.handler(ctx);

      expect(outputs.pipelineName).toBe(document.metadata.name);
      expect(
        (await devops.getPipeline(outputs.pipelineId as string)).metadata,
      ).toEqual(document.metadata);
    });

    it('applies the name, title and entityRef overrides', async () => {
      const { create } = devops.actions();
      const name = uniqueName('renamed');
      const entityRef = `component:default/${uniqueName('new-service')}`;
      const { ctx, outputs } = actionContext({
        yaml: stringifyYaml(pipelineDocument({ name: 'from-the-skeleton' })),
        name,
        title: 'Build the new service',
        entityRef,
      });

      await create.handler(ctx);

      expect(outputs).toMatchObject({ pipelineName: name, entityRef });
      const stored = await devops.getPipeline(outputs.pipelineId as string);
      expect(stored.metadata).toEqual({
        name,
        title: 'Build the new service',
        entityRef,
      });
    });

    it('makes no call in a dry run, and outputs placeholders', async () => {
      const fetchSpy = jest.spyOn(global, 'fetch');
      const { create } = devops.actions();
      const before = await devops.countPipelines();
      fetchSpy.mockClear();
      const document = pipelineDocument();
      const { ctx, outputs } = actionContext({ document }, { isDryRun: true });

      await create.handler(ctx);

      expect(fetchSpy).not.toHaveBeenCalled();
      expect(outputs).toEqual({
        pipelineId: 'dry-run-pipeline-id',
        pipelineName: document.metadata.name,
        entityRef: document.metadata.entityRef,
        pipelineUrl: `${APP_BASE_URL}/devops/pipelines/dry-run-pipeline-id`,
        created: true,
      });
      expect(await devops.countPipelines()).toBe(before);
    });

    it('validates the document in a dry run too', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument();
      (document.spec.stages[0].tasks[0] as any).type = 'teleport';
      const { ctx } = actionContext({ document }, { isDryRun: true });

      await expect(create.handler(ctx)).rejects.toThrow(
        /^The pipeline in document is not valid: spec\.stages\[0\]\.tasks\[0\]/,
      );
    });

    it('refuses a bad document before sending it, naming the field', async () => {
      const fetchSpy = jest.spyOn(global, 'fetch');
      const { create } = devops.actions();
      const { ctx } = actionContext({
        yaml: stringifyYaml(pipelineDocument()),
        name: 'Not A Slug',
      });

      await expect(create.handler(ctx)).rejects.toThrow(
        'The pipeline in yaml is not valid: metadata.name: must be 1 to 63 characters of lowercase letters, digits and "-"',
      );
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it.each([
      [{}, 'Give the pipeline as document (an object), yaml'],
      [
        { yaml: 'a: 1', path: 'pipeline.yaml' },
        'Give the pipeline as one of document, yaml or path, not yaml and path',
      ],
      [
        { yaml: 'stages: [' },
        'The pipeline YAML given as yaml could not be read',
      ],
      [{ yaml: '- a list' }, 'is not a pipeline document'],
      [{ path: 'missing.yaml' }, 'there is no file missing.yaml'],
    ])('refuses input %j', async (input, message) => {
      const { create } = devops.actions();
      const { ctx } = actionContext(input, { workspacePath: workspace.path });
      await expect(create.handler(ctx)).rejects.toThrow(message);
    });

    it('reads no file outside the workspace', async () => {
      const { create } = devops.actions();
      workspace.setContent({ 'inside/pipeline.yaml': 'kind: Pipeline' });
      const { ctx } = actionContext(
        { path: '../outside.yaml' },
        { workspacePath: `${workspace.path}/inside` },
      );
      await expect(create.handler(ctx)).rejects.toThrow(
        "path: ../outside.yaml is outside the template's workspace",
      );
    });

    it("surfaces the permission policy's refusal in the API's words", async () => {
      const { create } = devops.actions();
      devops.setPolicy(
        (permission, user) =>
          !(
            permission === 'devops.pipeline.create' &&
            user === 'user:default/bob'
          ),
      );
      const document = pipelineDocument();
      const { ctx } = actionContext(
        { document },
        { userRef: 'user:default/bob' },
      );

      await expect(create.handler(ctx)).rejects.toThrow(
        `The portal's permission policy does not let you create pipeline "${document.metadata.name}" for ${document.metadata.entityRef}: You are not allowed to create pipelines for ${document.metadata.entityRef}`,
      );
      const { body } = await devops.api<{ items: Pipeline[] }>(
        `/pipelines?entityRef=${encodeURIComponent(
          document.metadata.entityRef,
        )}`,
      );
      expect(body.items).toEqual([]);
    });

    it('surfaces what the backend refuses that the schema cannot see', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument();
      const { ctx } = actionContext({ document });
      await create.handler(ctx);

      // Same name for the same entity, other content: the API's 409 message.
      const other = pipelineDocument({
        name: document.metadata.name,
        entityRef: document.metadata.entityRef,
        scripts: ['echo another'],
      });
      await expect(
        create.handler(actionContext({ document: other }).ctx),
      ).rejects.toThrow(
        `A pipeline named "${document.metadata.name}" already exists for ${document.metadata.entityRef}; choose another name`,
      );
    });

    it('is idempotent when the task is retried', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument();
      const checkpoints = new Map<string, unknown>();
      const first = actionContext({ document }, { checkpoints });
      await create.handler(first.ctx);

      const retry = actionContext({ document }, { checkpoints });
      await create.handler(retry.ctx);

      expect(retry.outputs.pipelineId).toBe(first.outputs.pipelineId);
      expect(retry.outputs.created).toBe(true);
    });

    it('takes the pipeline an earlier attempt created when no checkpoint was kept', async () => {
      const { create } = devops.actions();
      const document = pipelineDocument();
      const first = actionContext(
        { document },
        { userRef: 'user:default/carol' },
      );
      await create.handler(first.ctx);

      const retry = actionContext(
        { document },
        { userRef: 'user:default/carol' },
      );
      await create.handler(retry.ctx);

      expect(retry.outputs).toMatchObject({
        pipelineId: first.outputs.pipelineId,
        created: false,
      });
      // Not when someone else made it.
      await expect(
        create.handler(
          actionContext({ document }, { userRef: 'user:default/dave' }).ctx,
        ),
      ).rejects.toThrow('already exists');
    });

    it('creates a pipeline whose secret parameter its owner sets later', async () => {
      const { create, run } = devops.actions();
      const document = pipelineDocument({
        parameters: [{ name: 'DEPLOY_TOKEN', secret: true }],
      });
      const created = actionContext({ document });

      await create.handler(created.ctx);

      expect(created.logger.warn).toHaveBeenCalledWith(
        expect.stringContaining('DEPLOY_TOKEN have no value'),
      );
      const ran = actionContext({
        pipelineId: created.outputs.pipelineId as string,
      });
      await expect(run.handler(ran.ctx)).rejects.toThrow(
        /secret parameter "DEPLOY_TOKEN" has no value/,
      );
    });
  });

  describe('devops:pipeline:run', () => {
    const createPipeline = async (scripts: string[]) => {
      const { create } = devops.actions();
      const { ctx, outputs } = actionContext({
        document: pipelineDocument({ scripts }),
      });
      await create.handler(ctx);
      return outputs.pipelineId as string;
    };

    it('starts a run with params and returns its ids', async () => {
      const pipelineId = await createPipeline(['echo "hi ${GREETING}"']);
      const { run } = devops.actions();
      const { ctx, outputs } = actionContext(
        { pipelineId, params: { GREETING: 'there', COUNT: 3, DEBUG: true } },
        { userRef: 'user:default/alice' },
      );

      await run.handler(ctx);

      expect(outputs).toEqual({
        runId: expect.any(String),
        buildId: 1,
        runUrl: `${APP_BASE_URL}/devops/runs/${outputs.runId}`,
        status: 'queued',
      });
      const stored = await devops.getRun(outputs.runId as string);
      expect(stored.pipelineId).toBe(pipelineId);
      expect(stored.paramNames.sort()).toEqual(['COUNT', 'DEBUG', 'GREETING']);
      expect(stored.trigger).toMatchObject({
        type: 'manual',
        user: 'user:default/alice',
      });
    });

    it('waits for the run to succeed', async () => {
      const pipelineId = await createPipeline(['echo "hi ${GREETING}"']);
      const { run } = devops.actions();
      const { ctx, outputs, logger } = actionContext({
        pipelineId,
        params: { GREETING: 'there' },
        waitForCompletion: true,
      });

      await run.handler(ctx);

      expect(outputs).toMatchObject({ buildId: 1, status: 'succeeded' });
      expect(logger.info).toHaveBeenCalledWith(
        expect.stringMatching(/^The run #1 of ".*" succeeded$/),
      );
    });

    it('fails the step when the run fails, saying which task', async () => {
      const pipelineId = await createPipeline(['echo fine', 'exit 3']);
      const { run } = devops.actions();
      const { ctx, outputs } = actionContext({
        pipelineId,
        waitForCompletion: true,
      });

      await expect(run.handler(ctx)).rejects.toThrow(
        /^The run #1 of ".*" ended failed \(task-2: .*3\)\. Its log: https:\/\/portal\.example\.com\/devops\/runs\//,
      );
      expect(outputs).toMatchObject({ buildId: 1, status: 'failed' });
      expect(outputs.runId).toEqual(expect.any(String));
    });

    it('stops waiting after timeoutMinutes, leaving the run going', async () => {
      const pipelineId = await createPipeline(['sleep 5']);
      const { run } = devops.actions();
      const { ctx, outputs } = actionContext({
        pipelineId,
        waitForCompletion: true,
        timeoutMinutes: 0.01,
      });

      await expect(run.handler(ctx)).rejects.toThrow(
        /did not end within 0\.01 minutes \(it is (queued|running) and goes on\)/,
      );
      const left = await devops.getRun(outputs.runId as string);
      expect(['queued', 'running']).toContain(left.status);
    });

    it('does not start a second run when the task is retried', async () => {
      const pipelineId = await createPipeline(['echo once']);
      const { run } = devops.actions();
      const checkpoints = new Map<string, unknown>();
      const first = actionContext({ pipelineId }, { checkpoints });
      await run.handler(first.ctx);
      const retry = actionContext({ pipelineId }, { checkpoints });
      await run.handler(retry.ctx);

      expect(retry.outputs.runId).toBe(first.outputs.runId);
      const { body } = await devops.api<{ totalCount: number }>(
        `/pipelines/${pipelineId}/runs`,
      );
      expect(body.totalCount).toBe(1);
    });

    it('makes no call in a dry run, and outputs placeholders', async () => {
      const fetchSpy = jest.spyOn(global, 'fetch');
      const { run } = devops.actions();
      const { ctx, outputs } = actionContext(
        { pipelineId: 'dry-run-pipeline-id', params: { GREETING: 'hi' } },
        { isDryRun: true },
      );

      await run.handler(ctx);

      expect(fetchSpy).not.toHaveBeenCalled();
      expect(outputs).toEqual({
        runId: 'dry-run-run-id',
        buildId: 0,
        runUrl: `${APP_BASE_URL}/devops/runs/dry-run-run-id`,
        status: 'queued',
      });
    });

    it('refuses built-in variables as params before calling', async () => {
      const fetchSpy = jest.spyOn(global, 'fetch');
      const { run } = devops.actions();
      const { ctx } = actionContext({
        pipelineId: 'any',
        params: { BUILD_ID: '7' },
      });
      await expect(run.handler(ctx)).rejects.toThrow(
        /^The run's parameters are not valid: params\.BUILD_ID: .*"BUILD_ID" is a built-in variable/,
      );
      expect(fetchSpy).not.toHaveBeenCalled();
    });

    it("surfaces a refused run in the API's words", async () => {
      const pipelineId = await createPipeline(['echo no']);
      devops.setPolicy(permission => permission !== 'devops.pipeline.execute');
      const { run } = devops.actions();
      const { ctx } = actionContext({ pipelineId });

      await expect(run.handler(ctx)).rejects.toThrow(
        new RegExp(
          `^The portal's permission policy does not let you run pipeline ${pipelineId}: You are not allowed to`,
        ),
      );
    });

    it('says so when the pipeline does not exist or may not be seen', async () => {
      const { run } = devops.actions();
      const { ctx } = actionContext({ pipelineId: 'no-such-pipeline' });
      await expect(run.handler(ctx)).rejects.toThrow(
        "No pipeline with id no-such-pipeline, or the portal's permission policy does not let you see it",
      );
    });
  });
});

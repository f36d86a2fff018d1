import {
  mockCredentials,
  mockServices,
  startTestBackend,
  type TestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
// Tests only (a devDependency): the module is tested in the real devops backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import devopsPlugin from '@devops-pipelines/plugin-devops-backend';
import {
  PIPELINE_API_VERSION,
  PIPELINE_KIND,
  isFinalStatus,
  type PipelineDocument,
  type Run,
  type TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import devopsModuleVerifyFiles from './index';

jest.setTimeout(60_000);

const entityRef = 'component:default/shop';
const auth = mockCredentials.user.header('user:default/alice');

/** A pipeline that checks out the test repository and verifies `paths` in it. */
function verifyPipeline(
  name: string,
  repository: string,
  task: Record<string, unknown>,
): PipelineDocument {
  return {
    apiVersion: PIPELINE_API_VERSION,
    kind: PIPELINE_KIND,
    metadata: { name, entityRef },
    spec: {
      source: { provider: 'git', repository, branch: 'main' },
      stages: [
        {
          name: 'Check',
          order: 'sequential',
          tasks: [{ name: 'verify', type: 'example:verifyFiles', ...task }],
        },
      ],
    },
  };
}

/**
 * The example module in the real DevOps backend: its task type is offered, checked as
 * pipelines are saved, and run by the local executor on a real checkout.
 */
describe('the Verify files example module', () => {
  let backend: TestBackend;
  let root: string;
  let repository: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-verify-files-'));
    const repo = path.join(root, 'repo');
    fs.mkdirSync(repo);
    fs.writeFileSync(path.join(repo, 'package-lock.json'), '{}\n');
    fs.writeFileSync(path.join(repo, 'LICENSE'), 'Apache-2.0\n');
    const git = (...args: string[]) =>
      execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git(
      '-c',
      'user.name=t',
      '-c',
      'user.email=t@example.com',
      'commit',
      '-qm',
      'init',
    );
    repository = `file://${repo}`;

    backend = await startTestBackend({
      features: [
        devopsPlugin,
        devopsModuleVerifyFiles,
        mockServices.rootConfig.factory({
          data: {
            devops: {
              encryptionKey: 'example-module-test',
              executor: {
                local: {
                  enabled: true,
                  workspaceDir: path.join(root, 'workspaces'),
                  allowFileUrls: true,
                },
              },
            },
          },
        }),
        catalogServiceMock.factory({
          entities: [
            {
              apiVersion: 'backstage.io/v1alpha1',
              kind: 'Component',
              metadata: { name: 'shop', namespace: 'default' },
              spec: { type: 'service', owner: 'group:default/web' },
            },
          ],
        }),
      ],
    });
  });

  afterAll(async () => {
    await backend?.stop();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const http = () => request(backend.server);

  async function runToEnd(document: PipelineDocument): Promise<Run> {
    const created = await http()
      .post('/api/devops/pipelines')
      .set('Authorization', auth)
      .send(document);
    expect(created.status).toBe(201);
    const started = await http()
      .post(`/api/devops/pipelines/${created.body.status.id}/runs`)
      .set('Authorization', auth)
      .send({});
    expect(started.status).toBe(201);
    for (;;) {
      const run = await http()
        .get(`/api/devops/runs/${started.body.id}`)
        .set('Authorization', auth);
      if (isFinalStatus(run.body.status)) return run.body;
      await new Promise(resolve => setTimeout(resolve, 100));
    }
  }

  async function logOf(runId: string): Promise<string> {
    const res = await http()
      .get(`/api/devops/runs/${runId}/logs/download`)
      .set('Authorization', auth);
    return res.text;
  }

  it('is offered to the editor after the built-in types, with its fields as JSON Schema', async () => {
    const res = await http()
      .get('/api/devops/task-types')
      .set('Authorization', auth);
    expect(res.status).toBe(200);
    const types: TaskTypeInfo[] = res.body.items;
    expect(types.map(t => t.type)).toEqual([
      'runScript',
      'buildImage',
      'deployYaml',
      'publishChart',
      'deployChart',
      'example:verifyFiles',
    ]);
    expect(types[5]).toEqual({
      type: 'example:verifyFiles',
      title: 'Verify files',
      description:
        'Fails when a listed file is missing from the checked-out source',
      fieldsSchema: {
        type: 'object',
        properties: {
          paths: {
            type: 'string',
            minLength: 1,
            title: 'Files',
            description: 'One path per line, relative to the repository root',
            examples: ['package-lock.json\nLICENSE'],
            multiline: true,
          },
        },
        required: ['paths'],
        additionalProperties: false,
      },
      executors: ['local', 'kubernetes'],
      podResources: true,
      builtIn: false,
    });
  });

  it('refuses a task whose fields do not parse, at the field, and stores nothing', async () => {
    const missing = await http()
      .post('/api/devops/pipelines')
      .set('Authorization', auth)
      .send(verifyPipeline('no-paths', repository, { paths: '  ' }));
    expect(missing.status).toBe(400);
    expect(missing.body.error.message).toBe(
      'Invalid request: spec.stages[0].tasks[0].paths: list at least one file',
    );
    const unknownField = await http()
      .post('/api/devops/pipelines')
      .set('Authorization', auth)
      .send(
        verifyPipeline('extra', repository, { paths: 'LICENSE', strict: true }),
      );
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.error.message).toContain(
      'spec.stages[0].tasks[0].strict: unknown field',
    );
    const list = await http()
      .get(`/api/devops/pipelines?entityRef=${encodeURIComponent(entityRef)}`)
      .set('Authorization', auth);
    expect(list.body.items).toEqual([]);
  });

  it('refuses a task of a type no module of the portal adds', async () => {
    const res = await http()
      .post('/api/devops/pipelines')
      .set('Authorization', auth)
      .send({
        ...verifyPipeline('other-module', repository, { paths: 'LICENSE' }),
        spec: {
          stages: [
            {
              name: 'Check',
              order: 'sequential',
              tasks: [{ name: 'lint', type: 'acme:lint', level: 'strict' }],
            },
          ],
        },
      });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(
      /^Invalid request: spec\.stages\[0\]\.tasks\[0\]\.type: this portal has no task type "acme:lint" \(is the backend module that adds it installed\?\); its task types are runScript, .*, example:verifyFiles$/,
    );
  });

  it('runs on the local executor and succeeds when every file is there', async () => {
    const run = await runToEnd(
      verifyPipeline('all-there', repository, {
        paths: 'package-lock.json\n  LICENSE  ',
      }),
    );
    expect(run.status).toBe('succeeded');
    const log = await logOf(run.id);
    expect(log).toContain(
      'Started task "verify" of stage "Check" (Verify files)',
    );
    expect(log).toContain('found package-lock.json');
    expect(log).toContain('found LICENSE');
    expect(log).toContain('every listed file is there');
  });

  it('fails the task naming the missing file, and a path cannot inject commands', async () => {
    const run = await runToEnd(
      verifyPipeline('one-missing', repository, {
        paths: 'LICENSE\nCHANGELOG.md\n$(touch injected); echo no',
      }),
    );
    expect(run.status).toBe('failed');
    const log = await logOf(run.id);
    expect(log).toContain('found LICENSE');
    expect(log).toContain('missing CHANGELOG.md');
    expect(log).toContain('missing $(touch injected); echo no');
    expect(log).toContain('2 of the listed files are missing');
    expect(
      fs.readdirSync(path.join(root, 'workspaces'), { recursive: true }),
    ).not.toContainEqual(expect.stringContaining('injected'));
  });
});

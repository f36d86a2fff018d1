import { execFile } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { promisify } from 'util';
import { GitHttpServer } from '../../scm/__testUtils__/GitHttpServer';
import { TestRepository } from '../../scm/__testUtils__/TestRepository';
import { WORKSPACE_SOURCE_DIR } from '../../tasks/types';
import type { RunContext } from '../types';
import { buildRunSourceSecret, buildTaskPod } from './podSpec';

const run = promisify(execFile);

/*
 * The task pod's source init container, run here with the local git and sh instead of
 * in a container (the test cluster's kwok nodes run no containers): its command and
 * environment as the pod spec and the run's source Secret give them, against a real git
 * server (`git http-backend`) that wants credentials.
 */
describe('the source init container of task pods', () => {
  const password = 'gho_with\\backslash-and-%s';
  let root: string;
  let server: GitHttpServer;
  let repository: TestRepository;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-init-container-'));
    repository = TestRepository.create(path.join(root, 'acme', 'private'));
    repository.commit({ 'app.txt': 'private\n' }, 'Private file');
    server = await GitHttpServer.start({
      root,
      accepts: (username, given) =>
        username === 'x-access-token' && given === password,
    });
  });
  afterAll(async () => {
    await server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  /** Runs the init container's command with its variables; the workspace is a temp folder. */
  async function runInitContainer(credentials?: {
    username?: string;
    password: string;
  }) {
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-ws-'));
    const context: RunContext = {
      runId: 'run-1',
      pipelineId: 'pipeline-1',
      pipelineName: 'demo',
      buildId: 1,
      source: {
        provider: 'github',
        repository: server.url(repository.dir),
        branch: 'main',
        commit: repository.git('rev-parse', 'HEAD').trim(),
      },
    };
    const pod = buildTaskPod({
      name: 'pod-1',
      namespace: 'devops',
      run: context,
      taskRunId: 'task-1',
      plan: { kind: 'pod', container: { image: 'alpine:3.20' } },
      gitImage: 'alpine/git',
    });
    const secret = buildRunSourceSecret({
      namespace: 'devops',
      run: context,
      repository: context.source!.repository,
      credentials,
    });
    const init = pod.spec!.initContainers![0];
    const env = Object.fromEntries(
      (init.env ?? []).map(variable => [variable.name, variable.value!]),
    );
    const script = init.command![2].split(WORKSPACE_SOURCE_DIR).join(workspace);
    const result = await run('sh', ['-c', script], {
      env: {
        PATH: process.env.PATH,
        HOME: workspace,
        ...env,
        ...secret.stringData,
      },
    }).then(
      ({ stdout }) => ({ ok: true, output: stdout }),
      (error: { stdout: string; stderr: string }) => ({
        ok: false,
        output: `${error.stdout}${error.stderr}`,
      }),
    );
    return { ...result, workspace };
  }

  it('checks a private repository out with the credentials of the Secret, a backslash in them too', async () => {
    const { ok, output, workspace } = await runInitContainer({
      username: 'x-access-token',
      password,
    });

    expect(output).toContain('Checked out');
    expect(ok).toBe(true);
    expect(fs.readFileSync(path.join(workspace, 'app.txt'), 'utf8')).toBe(
      'private\n',
    );
    // The helper in the workspace names variables only the init container has.
    expect(
      fs.readFileSync(path.join(workspace, '.git', 'config'), 'utf8'),
    ).not.toContain(password);
  });

  it('fails without them, asking no one for a password', async () => {
    const { ok, output } = await runInitContainer();

    expect(ok).toBe(false);
    expect(output).toMatch(/could not read Username|Authentication failed/);
  });
});

import { builtInTaskTypeRegistry } from '../../taskTypes/builtInTaskTypes';
import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { RunScriptTask, Task } from '@devops-pipelines/plugin-devops-common';
import { GitHttpServer } from '../../scm/__testUtils__/GitHttpServer';
import { TestRepository } from '../../scm/__testUtils__/TestRepository';
import type { GitCredentials } from '../../scm/gitCredentials';
import { RunContext, SourceError, TaskContext, TaskLog } from '../types';
import { LocalExecutor } from './LocalExecutor';

/** Records every call, in order; `onOutput` sees the output so far after each chunk. */
class RecordingTaskLog implements TaskLog {
  readonly calls: Array<
    | { kind: 'output'; chunk: string }
    | { kind: 'platform'; level: 'Normal' | 'Warning'; text: string }
  > = [];

  constructor(private readonly onOutput?: (outputSoFar: string) => void) {}

  output(chunk: string) {
    this.calls.push({ kind: 'output', chunk });
    this.onOutput?.(this.outputText());
  }

  platform(level: 'Normal' | 'Warning', text: string) {
    this.calls.push({ kind: 'platform', level, text });
  }

  outputText(): string {
    return this.calls
      .map(call => (call.kind === 'output' ? call.chunk : ''))
      .join('');
  }

  platformLines(level: 'Normal' | 'Warning'): string[] {
    return this.calls.flatMap(call =>
      call.kind === 'platform' && call.level === level ? [call.text] : [],
    );
  }
}

/** Keeps nothing but a byte count and the highest resident memory seen. */
class ByteCountingTaskLog implements TaskLog {
  bytes = 0;
  peakRss = process.memoryUsage().rss;
  private sinceSample = 0;

  output(chunk: string) {
    const size = Buffer.byteLength(chunk);
    this.bytes += size;
    this.sinceSample += size;
    if (this.sinceSample >= 1024 * 1024) {
      this.sinceSample = 0;
      this.peakRss = Math.max(this.peakRss, process.memoryUsage().rss);
    }
  }

  platform() {}
}

/** Gone, or a zombie that only waits for its parent to collect its exit status. */
function isProcessGone(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], {
      encoding: 'utf8',
    });
    return state.trim() === '' || state.trim().startsWith('Z');
  } catch {
    return true; // ps exits with 1 when there is no such process
  }
}

const scriptTask = (
  script: string,
  env?: RunScriptTask['env'],
): RunScriptTask => ({
  name: 'test',
  type: 'runScript',
  image: 'node',
  tag: '22-alpine',
  script,
  env,
});

describe('LocalExecutor', () => {
  let tmp: string;
  let workspaceRoot: string;
  let repo: TestRepository;
  let executor: LocalExecutor;

  const runWithSource = (): RunContext => ({
    runId: 'run-1',
    pipelineId: 'pipeline-1',
    pipelineName: 'demo',
    buildId: 42,
    source: {
      provider: 'git',
      repository: repo.url,
      branch: 'main',
      commit: repo.git('rev-parse', 'HEAD'),
    },
  });
  const runWithoutSource: RunContext = {
    runId: 'run-2',
    pipelineId: 'pipeline-1',
    pipelineName: 'demo',
    buildId: 7,
  };
  const sourceDir = (run: RunContext) =>
    path.join(workspaceRoot, run.runId, 'source');

  type ContextOptions = {
    log?: TaskLog;
    env?: Record<string, string>;
    signal?: AbortSignal;
    attempt?: number;
  };
  const context = (
    run: RunContext,
    task: Task,
    options: ContextOptions = {},
  ): TaskContext => ({
    run,
    taskRunId: 'task-1',
    attempt: options.attempt ?? 1,
    task,
    env: options.env ?? { BUILD_ID: String(run.buildId) },
    log: options.log ?? new RecordingTaskLog(),
    signal: options.signal ?? new AbortController().signal,
    // Child processes never wait for cluster resources.
    waiting: () => {},
    resumed: () => {},
  });

  /** Prepares a run without a source and runs one script in it. */
  const runScript = async (
    script: string,
    options: ContextOptions & { log?: RecordingTaskLog } = {},
  ) => {
    const log = options.log ?? new RecordingTaskLog();
    await executor.prepareRun(runWithoutSource, new RecordingTaskLog());
    const result = await executor.execute(
      context(runWithoutSource, scriptTask(script), { ...options, log }),
    );
    return { result, log };
  };

  beforeEach(() => {
    tmp = fs.realpathSync(
      fs.mkdtempSync(path.join(os.tmpdir(), 'devops-local-')),
    );
    workspaceRoot = path.join(tmp, 'workspaces');
    repo = TestRepository.create(path.join(tmp, 'origin'));
    executor = new LocalExecutor({
      taskTypes: builtInTaskTypeRegistry(),
      workspaceRoot,
      allowFileUrls: true,
    });
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  describe('prepareRun', () => {
    it("checks out the run's commit and says so", async () => {
      const run = runWithSource();
      repo.commit({ 'later.txt': 'later\n' }, 'A commit after the run started');
      const log = new RecordingTaskLog();

      await executor.prepareRun(run, log);

      expect(log.platformLines('Normal')).toEqual([
        `Checking out ${repo.url} at ${run.source!.commit.slice(0, 7)} (main)`,
      ]);
      expect(fs.existsSync(path.join(sourceDir(run), 'README.md'))).toBe(true);
      expect(fs.existsSync(path.join(sourceDir(run), 'later.txt'))).toBe(false);
    });

    it('re-uses a complete checkout when called again', async () => {
      const run = runWithSource();
      await executor.prepareRun(run, new RecordingTaskLog());
      fs.writeFileSync(
        path.join(sourceDir(run), 'built.txt'),
        'from an earlier task',
      );
      const log = new RecordingTaskLog();

      await executor.prepareRun(run, log);

      expect(log.platformLines('Normal')).toEqual([
        `Re-using the checkout of ${run.source!.commit.slice(
          0,
          7,
        )} already in the workspace`,
      ]);
      expect(fs.existsSync(path.join(sourceDir(run), 'built.txt'))).toBe(true);
    });

    it('starts an interrupted checkout over', async () => {
      const run = runWithSource();
      fs.mkdirSync(path.join(sourceDir(run), '.git'), { recursive: true });
      fs.writeFileSync(path.join(sourceDir(run), 'partial'), '');

      await executor.prepareRun(run, new RecordingTaskLog());

      expect(fs.existsSync(path.join(sourceDir(run), 'partial'))).toBe(false);
      expect(fs.existsSync(path.join(sourceDir(run), 'README.md'))).toBe(true);
    });

    it('gives a run without a source an empty folder', async () => {
      const log = new RecordingTaskLog();

      await executor.prepareRun(runWithoutSource, log);

      expect(fs.readdirSync(sourceDir(runWithoutSource))).toEqual([]);
      expect(log.platformLines('Normal')).toEqual([
        'The pipeline has no source; tasks start in an empty folder',
      ]);
    });

    it('refuses a file URL unless allowed', async () => {
      const strict = new LocalExecutor({
        taskTypes: builtInTaskTypeRegistry(),
        workspaceRoot,
        allowFileUrls: false,
      });

      const error = await strict
        .prepareRun(runWithSource(), new RecordingTaskLog())
        .catch(e => e);

      expect(error).toBeInstanceOf(SourceError);
      expect(error.message).toContain('devops.executor.local.allowFileUrls');
    });

    it('refuses run ids that would leave the workspace root', async () => {
      await expect(
        executor.prepareRun(
          { ...runWithoutSource, runId: '../escape' },
          new RecordingTaskLog(),
        ),
      ).rejects.toThrow(
        'The run id "../escape" cannot be used as a folder name',
      );
    });

    describe('from a private repository', () => {
      let server: GitHttpServer;
      let run: RunContext;

      beforeEach(async () => {
        server = await GitHttpServer.start({
          root: tmp,
          accepts: (username, password) =>
            username === 'deploy-bot' && password === 't0ken',
        });
        run = runWithSource();
        run.source!.repository = server.url(repo.dir);
      });

      afterEach(() => server.close());

      const executorWith = (credentials: GitCredentials) => {
        const sourceCredentials = jest.fn(async () => credentials);
        return {
          sourceCredentials,
          executor: new LocalExecutor({
            taskTypes: builtInTaskTypeRegistry(),
            workspaceRoot,
            allowFileUrls: false,
            sourceCredentials,
          }),
        };
      };

      it("checks out with the credentials of the run's source", async () => {
        const { executor: privateExecutor, sourceCredentials } = executorWith({
          username: 'deploy-bot',
          password: 't0ken',
        });

        await privateExecutor.prepareRun(run, new RecordingTaskLog());

        expect(sourceCredentials).toHaveBeenCalledWith(run.source);
        expect(fs.existsSync(path.join(sourceDir(run), 'README.md'))).toBe(
          true,
        );
        expect(server.requests.map(r => r.username)).toContain('deploy-bot');
      });

      it('tells how to renew credentials the host refuses', async () => {
        const { executor: privateExecutor } = executorWith({
          username: 'deploy-bot',
          password: 'expired',
          refusedAdvice:
            'Reconnect your GitHub account on the Repositories page',
        });

        const error = await privateExecutor
          .prepareRun(run, new RecordingTaskLog())
          .catch(e => e);

        expect(error).toBeInstanceOf(SourceError);
        expect(error.message).toMatch(
          /the server refused the credentials .*\. Reconnect your GitHub account on the Repositories page$/,
        );
      });
    });
  });

  describe('cleanupRun', () => {
    it("removes the run's folder", async () => {
      const run = runWithSource();
      await executor.prepareRun(run, new RecordingTaskLog());

      await executor.cleanupRun(run);

      expect(fs.existsSync(path.join(workspaceRoot, run.runId))).toBe(false);
    });
  });

  describe('execute', () => {
    it('says that it does not use the image', async () => {
      const { log } = await runScript('true');

      expect(log.platformLines('Warning')).toEqual([
        "The local executor does not use the image node:22-alpine; it runs the script with the backend's own shell and tools",
      ]);
    });

    it('streams stdout and stderr in the order they were written', async () => {
      const { result, log } = await runScript(
        'echo one\necho two >&2\necho three\nprintf "no newline"',
      );

      expect(result).toEqual({ status: 'succeeded', exitCode: 0, outputs: {} });
      expect(log.outputText()).toBe('one\ntwo\nthree\nno newline');
    });

    it('runs in the checkout of the source', async () => {
      const run = runWithSource();
      await executor.prepareRun(run, new RecordingTaskLog());
      const log = new RecordingTaskLog();

      await executor.execute(
        context(run, scriptTask('pwd\ncat README.md'), { log }),
      );

      expect(log.outputText()).toBe(`${sourceDir(run)}\n# Test repository\n`);
    });

    it('fails with the exit code of the script', async () => {
      const { result, log } = await runScript('echo before\nexit 3');

      expect(result).toEqual({
        status: 'failed',
        exitCode: 3,
        message: 'Script exited with code 3',
        outputs: {},
      });
      expect(log.outputText()).toBe('before\n');
    });

    it('stops at the first command that fails', async () => {
      const { result, log } = await runScript('echo before\nfalse\necho after');

      expect(result.exitCode).toBe(1);
      expect(log.outputText()).toBe('before\n');
    });

    it("gives the script the run's variables and the task's env, and no backend secrets", async () => {
      process.env.DEVOPS_TEST_BACKEND_SECRET = 'database-password';
      try {
        const log = new RecordingTaskLog();
        await executor.prepareRun(runWithoutSource, new RecordingTaskLog());
        const task = scriptTask(
          [
            'echo "build ${BUILD_ID} of ${PIPELINE_NAME}"',
            'echo "greeting=$GREETING ci=$CI home=$HOME"',
            'echo "secret=${DEVOPS_TEST_BACKEND_SECRET:-unset}"',
          ].join('\n'),
          [{ name: 'GREETING', value: 'hello' }],
        );

        await executor.execute(
          context(runWithoutSource, task, {
            log,
            env: { BUILD_ID: '42', PIPELINE_NAME: 'demo', CI: 'yes' },
          }),
        );

        expect(log.outputText()).toBe(
          [
            'build 42 of demo',
            `greeting=hello ci=yes home=${process.env.HOME}`,
            'secret=unset',
            '',
          ].join('\n'),
        );
      } finally {
        delete process.env.DEVOPS_TEST_BACKEND_SECRET;
      }
    });

    it('sets CI=true unless the run says otherwise', async () => {
      const { log } = await runScript('echo "$CI"');

      expect(log.outputText()).toBe('true\n');
    });

    it('returns what the script wrote to $DEVOPS_OUTPUT and warns about the rest', async () => {
      const { result, log } = await runScript(
        [
          'echo "VERSION=1.2.${BUILD_ID}" >> "$DEVOPS_OUTPUT"',
          'echo "# a comment" >> "$DEVOPS_OUTPUT"',
          'echo "not an assignment" >> "$DEVOPS_OUTPUT"',
          'echo "IMAGE_TAG=v=1" >> "$DEVOPS_OUTPUT"',
        ].join('\n'),
      );

      expect(result).toEqual({
        status: 'succeeded',
        exitCode: 0,
        outputs: { VERSION: '1.2.7', IMAGE_TAG: 'v=1' },
      });
      expect(log.platformLines('Warning')).toContain(
        'Ignored a line of $DEVOPS_OUTPUT that is not NAME=value: not an assignment',
      );
    });

    it('gives every attempt a fresh $DEVOPS_OUTPUT', async () => {
      await runScript('echo "FIRST=1" >> "$DEVOPS_OUTPUT"', { attempt: 1 });
      const { result } = await runScript('cat "$DEVOPS_OUTPUT"', {
        attempt: 2,
      });

      expect(result.outputs).toEqual({});
    });

    it('fails when $DEVOPS_OUTPUT is far bigger than a few variables', async () => {
      const { result } = await runScript(
        'head -c 2000000 /dev/zero | tr "\\0" "a" > "$DEVOPS_OUTPUT"',
      );

      expect(result.status).toBe('failed');
      expect(result.message).toBe(
        'The script wrote 2000000 bytes to $DEVOPS_OUTPUT, more than the 1048576 bytes allowed; write only NAME=value lines there',
      );
    });

    it('streams 100 MB of output without holding it in memory', async () => {
      await executor.prepareRun(runWithoutSource, new RecordingTaskLog());
      const log = new ByteCountingTaskLog();
      const rssBefore = process.memoryUsage().rss;

      const result = await executor.execute(
        context(runWithoutSource, scriptTask('yes | head -c 100000000'), {
          log,
        }),
      );

      expect(result.status).toBe('succeeded');
      expect(log.bytes).toBe(100_000_000);
      expect(log.peakRss - rssBefore).toBeLessThan(50 * 1024 * 1024);
    }, 60_000);

    it('does not start a task whose signal is already aborted', async () => {
      const controller = new AbortController();
      controller.abort();

      const { result, log } = await runScript('echo started', {
        signal: controller.signal,
      });

      expect(result).toEqual({
        status: 'failed',
        message: 'The task was stopped before it started',
      });
      expect(log.calls).toEqual([]);
    });

    describe('when stopped', () => {
      /** Runs the script, aborting once it printed "child <pid>"; returns that pid. */
      const runUntilChildStarted = async (script: string, grace?: number) => {
        if (grace !== undefined) {
          executor = new LocalExecutor({
            taskTypes: builtInTaskTypeRegistry(),
            workspaceRoot,
            allowFileUrls: true,
            killGracePeriodMs: grace,
          });
        }
        const controller = new AbortController();
        let childPid = 0;
        const log = new RecordingTaskLog(output => {
          const match = /child (\d+)\n/.exec(output);
          if (match && !controller.signal.aborted) {
            childPid = Number(match[1]);
            controller.abort();
          }
        });
        const { result } = await runScript(script, {
          log,
          signal: controller.signal,
        });
        return { result, log, childPid };
      };

      it('kills the script and the processes it started', async () => {
        const { result, log, childPid } = await runUntilChildStarted(
          'sleep 60 &\necho "child $!"\nsleep 60',
        );

        expect(result).toEqual({
          status: 'failed',
          message: 'Script was killed by signal SIGTERM',
          outputs: {},
        });
        expect(childPid).toBeGreaterThan(0);
        expect(isProcessGone(childPid)).toBe(true);
        expect(log.platformLines('Normal')).toContain(
          'Stopping the script: SIGTERM to all of its processes',
        );
        expect(log.platformLines('Warning').join('\n')).not.toContain(
          'SIGKILL',
        );
      }, 10_000);

      it('sends SIGKILL to processes that ignore SIGTERM', async () => {
        const { result, log, childPid } = await runUntilChildStarted(
          'trap \'\' TERM\nsleep 60 &\necho "child $!"\nwait',
          200,
        );

        expect(result.message).toBe('Script was killed by signal SIGKILL');
        expect(isProcessGone(childPid)).toBe(true);
        expect(log.platformLines('Warning')).toContain(
          "The script's processes did not stop within 0.2 s of SIGTERM; killing them with SIGKILL",
        );
      }, 10_000);
    });

    it('stops processes the script left running when it ends', async () => {
      const { result, log } = await runScript('sleep 60 &\necho "child $!"');

      const childPid = Number(/child (\d+)/.exec(log.outputText())![1]);
      expect(result.status).toBe('succeeded');
      // Signalled as the task ends; on a busy machine it may take a moment to go.
      const deadline = Date.now() + 3_000;
      while (!isProcessGone(childPid) && Date.now() < deadline) {
        await new Promise(resolve => setTimeout(resolve, 50));
      }
      expect(isProcessGone(childPid)).toBe(true);
      expect(log.platformLines('Normal')).toContain(
        'Stopping processes the script left running',
      );
    }, 10_000);

    it('does not wait forever for a process that left the group with the output', async () => {
      const escape = [
        'const child = require("child_process").spawn("sleep", ["60"], { detached: true, stdio: "inherit" });',
        'console.log("child " + child.pid);',
        'child.unref();',
      ].join(' ');
      const { result, log } = await runScript(`"$NODE" -e '${escape}'`, {
        env: { NODE: process.execPath },
      });
      const childPid = Number(/child (\d+)/.exec(log.outputText())![1]);
      process.kill(childPid, 'SIGKILL');

      expect(result.status).toBe('succeeded');
      expect(log.platformLines('Warning')).toContain(
        'A process started by the script outside its process group still holds its output; no more of it is read',
      );
    }, 10_000);

    it('refuses to run before the run is prepared', async () => {
      await expect(
        executor.execute(context(runWithoutSource, scriptTask('true'))),
      ).rejects.toThrow('prepareRun must run on this backend before its tasks');
    });

    it.each<[string, Task]>([
      [
        'Build and push image',
        {
          name: 'b',
          type: 'buildImage',
          dockerfile: 'Dockerfile',
          image: 'app',
          tag: '1',
          workspace: 'ws',
        },
      ],
      [
        'Deploy YAML',
        {
          name: 'y',
          type: 'deployYaml',
          file: 'app.yaml',
          cluster: 'prod',
          namespace: 'web',
        },
      ],
      [
        'Build and publish chart',
        {
          name: 'p',
          type: 'publishChart',
          chartPath: 'chart',
          chart: 'app',
          version: '1.0.0',
        },
      ],
      [
        'Deploy chart',
        {
          name: 'd',
          type: 'deployChart',
          release: 'app',
          chart: 'app',
          version: '1.0.0',
          cluster: 'prod',
          namespace: 'web',
        },
      ],
    ])('fails a %s task at once, naming what it needs', async (title, task) => {
      const log = new RecordingTaskLog();

      const result = await executor.execute(
        context(runWithoutSource, task, { log }),
      );

      expect(result).toEqual({
        status: 'failed',
        message: `The local executor cannot run "${title}" tasks; they need a Kubernetes cluster bound to DevOps (see the Clusters page)`,
      });
      expect(log.calls).toEqual([]);
    });
  });
});

import type { LogChunk, Run } from '@devops-pipelines/plugin-devops-common';
import fs from 'fs';
import path from 'path';
import { adminClient } from '../__testUtils__/wholeStack/demoPortal';
import { usePortalProcesses } from '../__testUtils__/wholeStack/portalProcesses';
import {
  endedRun,
  expectChunksKept,
  runLog,
  runLogShowing,
} from '../__testUtils__/wholeStack/runsOverApi';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(300_000);

const JACK = 'component:default/jack-2048';
/** How long a backend's runs go unheartbeated before another takes them over. */
const STALE_AFTER_SECONDS = 3;
const LONG_RUNS = 3;

/*
 * A backend killed with SIGKILL mid-run, as a crash or a forced pod deletion kills it, and
 * started again on the same database: the real backend process on PostgreSQL, running
 * scripts on the local executor. Every run must end; every line stored before the kill
 * stays, once; nothing starts twice; a task whose processes died with the backend is
 * reported by the documented rule.
 */
describe('a backend killed mid-run and started again', () => {
  const portals = usePortalProcesses('crash', {
    // Room for the long runs only: one more waits in the queue through the crash.
    engine: {
      concurrentRuns: LONG_RUNS,
      staleAfterSeconds: STALE_AFTER_SECONDS,
    },
  });
  const { markers } = portals;

  it('ends every run, keeps every line once, and starts nothing twice', async () => {
    const crashing = await portals.start();
    let api = await adminClient(crashing);
    const runOf = async (name: string, script: string): Promise<Run> => {
      const pipeline = await api(
        'POST',
        '/pipelines',
        pipelineDocument({ name, entityRef: JACK, scripts: [script] }),
      );
      return api('POST', `/pipelines/${pipeline.status.id}/runs`, {});
    };

    // Each long run notes its start and its end; between them it prints three lines, then
    // works silently, so that no broken pipe would stop it once its backend is gone.
    const long = [];
    for (let i = 0; i < LONG_RUNS; i++) {
      const marker = path.join(markers, `long-${i}`);
      long.push(
        await runOf(
          `crash-long-${i}`,
          `echo started >> ${marker}\nfor n in 1 2 3; do echo "line $n"; sleep 0.3; done\nsleep 4\necho finished >> ${marker}`,
        ),
      );
    }
    const queued = await runOf(
      'crash-queued',
      `echo ran >> ${path.join(markers, 'queued')}`,
    );
    const before = new Map<string, LogChunk[]>();
    for (const run of long) {
      before.set(run.id, await runLogShowing(api, run.id, 'line 3'));
    }
    expect((await api('GET', `/runs/${queued.id}`)).status).toBe('queued');

    await portals.kill(crashing);
    const killedAt = Date.now();
    api = await adminClient(await portals.start());

    const ended = new Map<string, Run>();
    for (const run of [...long, queued]) {
      ended.set(run.id, await endedRun(api, run.id));
    }

    // The documented rule: a local task that died with its backend fails, and is not
    // started again; the run's log says who took it over.
    for (const run of long) {
      const end = ended.get(run.id)!;
      expect(end.status).toBe('failed');
      expect(end.stages[0].tasks[0].message).toMatch(
        /^The task "task-1" of stage "Stage 1" was interrupted: the backend running it stopped, and the task's processes ended with it/,
      );
      const after = await runLog(api, run.id);
      // What was stored before the kill is still there, as it was: once.
      expectChunksKept(before.get(run.id)!, after);
      const text = after.map(c => c.text).join('');
      for (let n = 1; n <= 3; n++) {
        expect(text.split(` line ${n}\n`).length).toBeLessThanOrEqual(2);
      }
      expect(text).toMatch(/stopped responding; engine .+ took the run over/);
    }
    expect(ended.get(queued.id)!.status).toBe('succeeded');

    // Past the moment the long scripts would have ended had they gone on: none did, and
    // each started once; the queued run ran once, after the restart.
    const scriptsWouldHaveEnded = killedAt + 4000 + 1000;
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, scriptsWouldHaveEnded - Date.now())),
    );
    for (let i = 0; i < LONG_RUNS; i++) {
      expect(fs.readFileSync(path.join(markers, `long-${i}`), 'utf8')).toBe(
        'started\n',
      );
    }
    expect(fs.readFileSync(path.join(markers, 'queued'), 'utf8')).toBe('ran\n');
  });
});

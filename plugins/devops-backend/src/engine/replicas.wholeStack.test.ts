import type { Run } from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import fs from 'fs';
import path from 'path';
import { adminClient } from '../__testUtils__/wholeStack/demoPortal';
import { usePortalProcesses } from '../__testUtils__/wholeStack/portalProcesses';
import { eventually } from '../kubernetes/__testUtils__/testCluster';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(300_000);

const JACK = 'component:default/jack-2048';
const PIPELINES = 10;
const RUNS = 500;

type Api = Awaited<ReturnType<typeof adminClient>>;

/*
 * Two backend replicas, real processes, on one PostgreSQL database: 500 runs asked of
 * both at once, and one replica killed with SIGKILL while they execute. Each run is
 * executed once, BUILD_IDs are contiguous per pipeline, and the dead replica's runs end
 * on the other.
 */
describe('two replicas on one database', () => {
  const portals = usePortalProcesses('replicas', {
    engine: { staleAfterSeconds: 3 },
  });
  const { markers } = portals;

  /** Every run of a pipeline, newest first, while each has fewer than 100. */
  const runsOf = async (api: Api, pipelineId: string): Promise<Run[]> =>
    (await api('GET', `/pipelines/${pipelineId}/runs?limit=100`)).items;

  it('executes each run once, numbers them without gaps, and finishes a dead replica’s runs', async () => {
    // One after the other, as a rollout starts them: the first creates the databases.
    const first = await portals.start();
    const second = await portals.start();
    const [survivor, doomed] = await Promise.all([
      adminClient(first),
      adminClient(second),
    ]);

    // Each execution notes its pipeline and BUILD_ID: what ran, and how often.
    const pipelineIds: string[] = [];
    for (let i = 0; i < PIPELINES; i++) {
      const pipeline = await survivor(
        'POST',
        '/pipelines',
        pipelineDocument({
          name: `replicas-${i}`,
          entityRef: JACK,
          scripts: [
            `echo "$BUILD_ID" >> ${path.join(markers, `p${i}`)}\nsleep 0.2`,
          ],
        }),
      );
      pipelineIds.push(pipeline.status.id);
    }

    // Asked of both replicas at once, 50 requests at a time.
    for (let batch = 0; batch < RUNS; batch += 50) {
      await Promise.all(
        Array.from({ length: 50 }, (_, k) => {
          const n = batch + k;
          const api = n % 2 ? doomed : survivor;
          return api(
            'POST',
            `/pipelines/${pipelineIds[n % PIPELINES]}/runs`,
            {},
          );
        }),
      );
    }

    // One replica dies while runs execute on both.
    await eventually(
      'a fifth of the runs ended',
      async () => {
        const ended = (
          await Promise.all(pipelineIds.map(id => runsOf(survivor, id)))
        )
          .flat()
          .filter(run => isFinalStatus(run.status)).length;
        return ended >= RUNS / 5 ? true : undefined;
      },
      { timeoutMs: 120_000, intervalMs: 250 },
    );
    await portals.kill(second);

    const all = await eventually(
      'every run to end on the surviving replica',
      async () => {
        const runs = (
          await Promise.all(pipelineIds.map(id => runsOf(survivor, id)))
        ).flat();
        return runs.every(run => isFinalStatus(run.status)) ? runs : undefined;
      },
      { timeoutMs: 180_000, intervalMs: 500 },
    );

    expect(all).toHaveLength(RUNS);
    const interrupted =
      /^The task "task-1" of stage "Stage 1" was interrupted: the backend running it stopped/;
    for (const [i, id] of pipelineIds.entries()) {
      const runs = all.filter(run => run.pipelineId === id);
      // BUILD_IDs 1..50, each once.
      expect(runs.map(run => run.buildId).sort((a, b) => a - b)).toEqual(
        Array.from({ length: RUNS / PIPELINES }, (_, k) => k + 1),
      );
      const executed = fs
        .readFileSync(path.join(markers, `p${i}`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map(Number);
      // No execution twice, and none that no run accounts for.
      expect(new Set(executed).size).toBe(executed.length);
      const [ran, killed] = [
        runs.filter(run => run.status === 'succeeded'),
        runs.filter(run => run.status !== 'succeeded'),
      ];
      expect(executed).toEqual(expect.arrayContaining(ran.map(r => r.buildId)));
      // Killed with its replica: by the documented rule, failed and not started again.
      for (const run of killed) {
        expect(run.stages[0].tasks[0].message).toMatch(interrupted);
      }
    }
    const succeeded = all.filter(run => run.status === 'succeeded').length;
    // Only what the dead replica was executing at its death failed, and it was executing.
    expect(succeeded).toBeGreaterThanOrEqual(RUNS - 10);
    expect(succeeded).toBeLessThan(RUNS);
  });
});

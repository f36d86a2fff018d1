import type { LogChunk, Run } from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import { eventually } from '../../kubernetes/__testUtils__/testCluster';
import type { adminClient } from './demoPortal';

/** A client of the DevOps API from {@link adminClient}. */
export type AdminApi = Awaited<ReturnType<typeof adminClient>>;

/** A run's log as stored, from its first chunk (one page: up to 500 chunks). */
export async function runLog(
  api: AdminApi,
  runId: string,
): Promise<LogChunk[]> {
  return (await api('GET', `/runs/${runId}/logs?after=0`)).items;
}

/** A run's log once one of its lines reads `line` (after the line's time). */
export function runLogShowing(
  api: AdminApi,
  runId: string,
  line: string,
): Promise<LogChunk[]> {
  return eventually(`"${line}" in the log of run ${runId}`, async () => {
    const chunks = await runLog(api, runId);
    return chunks.some(c => c.text.includes(` ${line}\n`)) ? chunks : undefined;
  });
}

/** A run once it has ended; a backend that takes runs over may need a while to. */
export function endedRun(api: AdminApi, runId: string): Promise<Run> {
  return eventually(
    `run ${runId} to end`,
    async () => {
      const run: Run = await api('GET', `/runs/${runId}`);
      return isFinalStatus(run.status) ? run : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 250 },
  );
}

/** Every chunk of `before` is in `after` once, as it was: nothing stored was rewritten. */
export function expectChunksKept(before: LogChunk[], after: LogChunk[]) {
  expect(before.map(chunk => after.filter(c => c.seq === chunk.seq))).toEqual(
    before.map(chunk => [chunk]),
  );
}

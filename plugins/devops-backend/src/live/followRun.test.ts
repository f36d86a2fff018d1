import { TestDatabases } from '@backstage/backend-test-utils';
import type { Run, RunStatus } from '@devops-pipelines/plugin-devops-common';
import { RunChanges } from '../database/RunChanges';
import { followRun } from './followRun';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())('followRun on %s', databaseId => {
  it('reads the run at status changes only, gives each state once, and ends with the run', async () => {
    const changes = new RunChanges(await databases.init(databaseId));
    await changes.listen();
    let status: RunStatus = 'running';
    let reads = 0;
    const given: RunStatus[] = [];
    let idles = 0;
    const following = followRun(
      changes,
      {
        runId: 'run-1',
        load: async () => {
          reads += 1;
          return { id: 'run-1', status } as Run;
        },
        idleMs: 100,
        signal: new AbortController().signal,
      },
      {
        onRun: async run => {
          given.push(run.status);
        },
        onIdle: async () => {
          idles += 1;
        },
      },
    );
    const waitForReads = async (count: number) => {
      while (reads < count) await new Promise(r => setTimeout(r, 10));
    };

    await waitForReads(1);
    // A busy log wakes nobody who follows statuses.
    for (let i = 0; i < 100; i++) await changes.notify('run-1', 'log');
    await new Promise(r => setTimeout(r, 300));
    expect(reads).toBe(1);
    expect(idles).toBeGreaterThan(0);

    // A status write that changed nothing the API shows is read, but not given again.
    await changes.notify('run-1', 'status');
    await waitForReads(2);
    status = 'succeeded';
    await changes.notify('run-1', 'status');
    await following;
    expect(reads).toBe(3);
    expect(given).toEqual(['running', 'succeeded']);
    await changes.close();
  });
});

import type { JsonObject } from '@backstage/types';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { demoPortalConfig } from './demoPortal';
import { dropDatabases, postgresServer } from './postgresForProcesses';
import { startWholeStackBackend } from './wholeStackBackend';

export type PortalProcess = Awaited<ReturnType<typeof startWholeStackBackend>>;

/**
 * For a test of portal backends as real processes on one PostgreSQL database (replicas,
 * restarts): the demo portal's configuration with `devops` over it (and `rootConfig`, such
 * as `events`, over the whole), the databases under a prefix of the test's own, and a
 * folder where the tests' scripts leave marks of what ran. After the tests, the processes
 * still running are stopped and the databases dropped.
 */
export function usePortalProcesses(
  name: string,
  devops: JsonObject,
  rootConfig: JsonObject = {},
) {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), `devops-${name}-`));
  const markers = path.join(work, 'markers');
  fs.mkdirSync(markers);
  const server = postgresServer();
  const prefix = `devops_${name}_${process.pid}_${Date.now().toString(36)}_`;
  const database = { client: 'pg', connection: server, prefix };
  const config = {
    ...demoPortalConfig({
      workspaceDir: path.join(work, 'workspaces'),
      devops,
    }),
    ...rootConfig,
  };
  const running = new Set<PortalProcess>();

  afterAll(async () => {
    await Promise.all([...running].map(portal => portal.stop()));
    await dropDatabases(server, prefix);
    fs.rmSync(work, { recursive: true, force: true });
  });

  return {
    /** Where a script writes what it did: `path.join(markers, name)`. */
    markers,
    /** Starts one more backend on the shared database. */
    async start(): Promise<PortalProcess> {
      const portal = await startWholeStackBackend(config, { database });
      running.add(portal);
      return portal;
    },
    /** Kills a backend as a crash does: SIGKILL, no chance to let go of its runs. */
    async kill(portal: PortalProcess): Promise<void> {
      running.delete(portal);
      await portal.stop('SIGKILL');
    },
  };
}

import { useApi } from '@backstage/core-plugin-api';
import {
  isFinalStatus,
  type Run,
} from '@devops-pipelines/plugin-devops-common';
import { useCallback } from 'react';
import { devopsApiRef } from '../../api';
import { usePolling } from '../RunHistory';

/** How often an unfinished run is read again, for its stages and tasks to move. */
export const RUN_DETAIL_POLL_MS = 2000;

export type ReadRun = {
  run: Run;
  /** When it was read (ms since epoch): live durations count on from here. */
  readAt: number;
};

/** A run, read again until it is finished. */
export function useRun(runId: string) {
  const devopsApi = useApi(devopsApiRef);
  const load = useCallback(
    async (): Promise<ReadRun> => ({
      run: await devopsApi.getRun(runId),
      readAt: Date.now(),
    }),
    [devopsApi, runId],
  );
  return usePolling(load, ({ run }) =>
    isFinalStatus(run.status) ? undefined : RUN_DETAIL_POLL_MS,
  );
}

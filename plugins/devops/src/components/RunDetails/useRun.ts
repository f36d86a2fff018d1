import { useApi } from '@backstage/core-plugin-api';
import type { Run } from '@devops-pipelines/plugin-devops-common';
import { useEffect, useState } from 'react';
import { devopsApiRef } from '../../api';

export type ReadRun = {
  run: Run;
  /** When it was read (ms since epoch): live durations count on from here. */
  readAt: number;
};

export type RunState = {
  value?: ReadRun;
  /** Why the stream failed; the last run received stays shown meanwhile. */
  error?: Error;
};

const asError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/**
 * A run, followed to its end: the backend sends it again each time a status in it moves
 * (see DevopsApi.followRun), so steps and tasks move on the page without polling.
 */
export function useRun(runId: string): RunState {
  const devopsApi = useApi(devopsApiRef);
  const [state, setState] = useState<RunState>({});

  useEffect(() => {
    const controller = new AbortController();
    setState({});
    devopsApi
      .followRun(runId, {
        signal: controller.signal,
        onRun: run => setState({ value: { run, readAt: Date.now() } }),
        onReconnecting: e =>
          setState(previous => ({ ...previous, error: asError(e) })),
      })
      .catch(e => {
        if (!controller.signal.aborted) {
          setState(previous => ({ ...previous, error: asError(e) }));
        }
      });
    return () => controller.abort();
  }, [devopsApi, runId]);

  return state;
}

import { useApi } from '@backstage/core-plugin-api';
import { useCallback } from 'react';
import { devopsApiRef } from '../../api';
import { usePolling } from '../RunHistory';

/** Often enough to see a fire time or a delivery arrive while the page is open. */
const POLL_MS = 30_000;

/**
 * A pipeline's next fire times and trigger activity, from the backend; read again when
 * `refreshKey` changes (a new run, saved rules) and every half minute.
 */
export function usePipelineTriggers(pipelineId: string, refreshKey: string) {
  const devopsApi = useApi(devopsApiRef);
  const load = useCallback(
    () => devopsApi.getPipelineTriggers(pipelineId),
    // refreshKey only asks for a new read.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [devopsApi, pipelineId, refreshKey],
  );
  return usePolling(load, () => POLL_MS);
}

import { useApi } from '@backstage/core-plugin-api';
import {
  isFinalStatus,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import { useCallback } from 'react';
import { devopsApiRef } from '../../api';
import { usePolling } from '../RunHistory';

/** While the latest run is unfinished, its status on the page follows closely. */
export const PIPELINE_POLL_RUNNING_MS = 3000;
/** Otherwise slowly, to notice runs that triggers or other users start. */
export const PIPELINE_POLL_IDLE_MS = 15_000;

/** A pipeline, read again while the page is open. */
export function usePipeline(pipelineId: string) {
  const devopsApi = useApi(devopsApiRef);
  const load = useCallback(
    () => devopsApi.getPipeline(pipelineId),
    [devopsApi, pipelineId],
  );
  return usePolling<Pipeline>(load, pipeline => {
    const lastRun = pipeline.status.lastRun;
    return lastRun && !isFinalStatus(lastRun.status)
      ? PIPELINE_POLL_RUNNING_MS
      : PIPELINE_POLL_IDLE_MS;
  });
}

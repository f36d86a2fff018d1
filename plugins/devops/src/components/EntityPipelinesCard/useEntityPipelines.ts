import { useApi } from '@backstage/core-plugin-api';
import {
  isFinalStatus,
  type Page,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import { useCallback } from 'react';
import { devopsApiRef } from '../../api';
import { usePolling } from '../RunHistory/usePolling';
import { RUN_POLL_MS } from '../RunHistory/useRunHistory';

/** How many pipelines the card shows; "View all" leads to the rest. */
export const CARD_PIPELINES_LIMIT = 5;

/**
 * How often the card reads again while no run is unfinished, as a pipeline's page
 * does: runs that triggers or other users start show up without a reload.
 */
export const CARD_IDLE_POLL_MS = 15_000;

const hasUnfinishedRun = (page: Page<Pipeline>) =>
  page.items.some(
    ({ status }) => status.lastRun && !isFinalStatus(status.lastRun.status),
  );

/**
 * The entity's first pipelines with their latest runs, read again closely while one of
 * those runs is unfinished, so that its status and duration move on the card.
 */
export function useEntityPipelines(entityRef: string) {
  const devopsApi = useApi(devopsApiRef);
  const load = useCallback(
    () => devopsApi.listPipelines({ entityRef, limit: CARD_PIPELINES_LIMIT }),
    [devopsApi, entityRef],
  );
  return usePolling(load, page =>
    hasUnfinishedRun(page) ? RUN_POLL_MS : CARD_IDLE_POLL_MS,
  );
}

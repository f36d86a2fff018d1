import { useApi } from '@backstage/core-plugin-api';
import {
  isFinalStatus,
  type Page,
  type Run,
} from '@devops-pipelines/plugin-devops-common';
import { useCallback, useEffect, useReducer, useState } from 'react';
import { devopsApiRef } from '../../api';
import { usePolling } from './usePolling';

/** How often the newest runs are read again while one of them is unfinished. */
export const RUN_POLL_MS = 3000;

export type RunHistory = {
  /** The pipeline the runs are of. */
  pipelineId: string;
  /** Newest first. */
  runs: Run[];
  totalCount: number;
  loading: boolean;
  error?: Error;
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  reload: () => void;
};

type Shown = {
  runs: Run[];
  nextCursor?: string;
  totalCount: number;
  /** Whether pages after the first were loaded. */
  loadedMore: boolean;
};

type Action =
  | { type: 'first'; page: Page<Run> }
  | { type: 'more'; page: Page<Run> };

/**
 * A fresh first page replaces what is shown until older pages were loaded; then runs
 * that new runs pushed off the first page stay, so that nothing vanishes from the list.
 */
function reduce(shown: Shown, action: Action): Shown {
  const { page } = action;
  if (action.type === 'more') {
    const known = new Set(shown.runs.map(r => r.id));
    return {
      runs: [...shown.runs, ...page.items.filter(r => !known.has(r.id))],
      nextCursor: page.nextCursor,
      totalCount: page.totalCount,
      loadedMore: true,
    };
  }
  if (!shown.loadedMore || page.items.length === 0) {
    return {
      runs: page.items,
      nextCursor: page.nextCursor,
      totalCount: page.totalCount,
      loadedMore: false,
    };
  }
  const oldest = page.items[page.items.length - 1].buildId;
  return {
    ...shown,
    runs: [...page.items, ...shown.runs.filter(r => r.buildId < oldest)],
    totalCount: page.totalCount,
  };
}

/**
 * A pipeline's run records, newest first, `pageSize` at a time. The first page is read
 * again while one of its runs is unfinished, and whenever `refreshKey` changes (the
 * page passes the latest run's id and status, so runs started elsewhere appear).
 */
export function useRunHistory(
  pipelineId: string,
  options: { pageSize: number; refreshKey?: string },
): RunHistory {
  const { pageSize, refreshKey } = options;
  const devopsApi = useApi(devopsApiRef);
  const [shown, dispatch] = useReducer(reduce, {
    runs: [],
    totalCount: 0,
    loadedMore: false,
  });
  const [loadingMore, setLoadingMore] = useState(false);
  const [moreError, setMoreError] = useState<Error>();

  const loadFirst = useCallback(
    () => devopsApi.listRuns(pipelineId, { limit: pageSize }),
    // refreshKey is not read, but a new key must read the page again.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [devopsApi, pipelineId, pageSize, refreshKey],
  );
  const first = usePolling(loadFirst, page =>
    page.items.some(run => !isFinalStatus(run.status))
      ? RUN_POLL_MS
      : undefined,
  );

  useEffect(() => {
    if (first.value) {
      dispatch({ type: 'first', page: first.value });
    }
  }, [first.value]);

  const { nextCursor } = shown;
  const loadMore = useCallback(async () => {
    if (!nextCursor) return;
    setLoadingMore(true);
    setMoreError(undefined);
    try {
      const page = await devopsApi.listRuns(pipelineId, {
        limit: pageSize,
        cursor: nextCursor,
      });
      dispatch({ type: 'more', page });
    } catch (e) {
      setMoreError(e as Error);
    }
    setLoadingMore(false);
  }, [devopsApi, pipelineId, pageSize, nextCursor]);

  return {
    pipelineId,
    runs: shown.runs,
    totalCount: shown.totalCount,
    loading: first.loading,
    error: moreError ?? first.error,
    hasMore: Boolean(nextCursor),
    loadingMore,
    loadMore,
    reload: first.reload,
  };
}

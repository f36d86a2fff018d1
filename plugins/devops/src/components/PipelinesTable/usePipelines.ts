import { useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useCallback, useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { devopsApiRef } from '../../api';

const PAGE_SIZE = 50;

/**
 * The pipelines list, a page at a time, of one entity or all, matching the search text
 * `q` or all. `reload` starts over from the first page, which is what an action that
 * changed a pipeline needs to show its effect.
 */
export function usePipelines(options: { entityRef?: string; q?: string }) {
  const { entityRef, q } = options;
  const devopsApi = useApi(devopsApiRef);
  const [items, setItems] = useState<Pipeline[]>([]);

  const [state, fetchPage] = useAsyncFn(
    async (cursor?: string) => ({
      page: await devopsApi.listPipelines({
        entityRef,
        q: q || undefined,
        limit: PAGE_SIZE,
        cursor,
      }),
      append: cursor !== undefined,
    }),
    [devopsApi, entityRef, q],
    // Loading from the first render, so the empty state does not flash before the data.
    { loading: true },
  );

  // useAsyncFn keeps only the latest call's result, so a slow earlier response can
  // never overwrite a newer one here.
  useEffect(() => {
    if (state.value) {
      const { page, append } = state.value;
      setItems(previous =>
        append ? [...previous, ...page.items] : page.items,
      );
    }
  }, [state.value]);

  useEffect(() => {
    fetchPage();
  }, [fetchPage]);

  const nextCursor = state.value?.page.nextCursor;
  const loadMore = useCallback(() => {
    if (nextCursor) {
      fetchPage(nextCursor);
    }
  }, [fetchPage, nextCursor]);
  const reload = useCallback(() => fetchPage(), [fetchPage]);

  return {
    items,
    totalCount: state.value?.page.totalCount ?? items.length,
    loading: state.loading,
    error: state.error,
    hasMore: Boolean(nextCursor),
    loadMore,
    reload,
  };
}

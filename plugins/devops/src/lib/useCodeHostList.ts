import type { CodeHostPage } from '@devops-pipelines/plugin-devops-common';
import { useCallback, useRef, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import useDebounce from 'react-use/esm/useDebounce';
import { SEARCH_DEBOUNCE_MS } from './searchDebounce';

/**
 * A code host list (repositories, branches) a page at a time, for what the user types.
 * A changed `filter` (the search text, the repository whose branches to list) is only
 * read once typing pauses, as each one is a request to the host, and starts again from
 * the first page. `load` returns undefined when there is nothing to list yet.
 */
export function useCodeHostList<F, T>(
  filter: F,
  load: (filter: F, page: number) => Promise<CodeHostPage<T>> | undefined,
) {
  const [query, setQuery] = useState({ filter, page: 1 });
  const key = JSON.stringify(filter);
  useDebounce(
    () =>
      setQuery(current =>
        JSON.stringify(current.filter) === key ? current : { filter, page: 1 },
      ),
    SEARCH_DEBOUNCE_MS,
    [key],
  );
  const queryKey = JSON.stringify(query.filter);
  // useAsync keeps only the latest call's result: a slow earlier page never wins. Each
  // result names the filter it answers, as the previous one is still there while the
  // next one loads.
  const answer = useAsync(async () => {
    const loadedPage = await load(query.filter, query.page);
    return loadedPage && { key: queryKey, page: loadedPage };
  }, [query]);
  const value = answer.value?.page;
  const { loading, error } = answer;
  // What a picker shows: the pages loaded so far for this filter, one after the other;
  // a new filter starts empty.
  const pages = useRef({ key: '', items: new Map<number, T[]>() });
  if (pages.current.key !== queryKey) {
    pages.current = { key: queryKey, items: new Map() };
  }
  if (answer.value?.key === queryKey) {
    pages.current.items.set(answer.value.page.page, answer.value.page.items);
  }
  const loaded = [...pages.current.items.entries()]
    .sort(([a], [b]) => a - b)
    .flatMap(([, items]) => items);
  // Stable per page, so that a picker's list built around it is not made anew each render.
  const nextPage = value?.nextPage;
  const loadMore = useCallback(() => {
    if (nextPage) setQuery(current => ({ ...current, page: nextPage }));
  }, [nextPage]);
  return {
    value,
    loading,
    error,
    /** Every item of the pages loaded for the filter, for a list that grows. */
    loaded,
    /** Loads the page after the last one, where there is one. */
    loadMore,
    /** What the list was last asked for, which `value` answers once loaded. */
    filter: query.filter,
    page: query.page,
    setPage: (page: number) => setQuery(current => ({ ...current, page })),
  };
}

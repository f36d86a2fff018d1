import type { CodeHostPage } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
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
  // useAsync keeps only the latest call's result: a slow earlier page never wins.
  const { value, loading, error } = useAsync(
    async () => load(query.filter, query.page),
    [query],
  );
  return {
    value,
    loading,
    error,
    /** What the list was last asked for, which `value` answers once loaded. */
    filter: query.filter,
    page: query.page,
    setPage: (page: number) => setQuery(current => ({ ...current, page })),
  };
}

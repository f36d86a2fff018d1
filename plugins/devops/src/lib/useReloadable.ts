import { type DependencyList, useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';

/**
 * Loads a value when mounted and again on `reload` (after a change that alters it).
 * Loading from the first render, so an empty state does not flash before the data.
 */
export function useReloadable<T>(load: () => Promise<T>, deps: DependencyList) {
  const [state, run] = useAsyncFn(load, deps, { loading: true });
  useEffect(() => {
    run();
  }, [run]);
  return {
    value: state.value,
    loading: state.loading,
    error: state.error,
    reload: run,
  };
}

import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { devopsApiRef } from '../../api';

/** The bound clusters; `reload` after a bind or an unbind shows its effect. */
export function useClusters() {
  const devopsApi = useApi(devopsApiRef);
  const [state, load] = useAsyncFn(() => devopsApi.listClusters(), [devopsApi], {
    // Loading from the first render, so the empty state does not flash before the data.
    loading: true,
  });
  useEffect(() => {
    load();
  }, [load]);
  return {
    clusters: state.value ?? [],
    loading: state.loading,
    error: state.error,
    reload: load,
  };
}

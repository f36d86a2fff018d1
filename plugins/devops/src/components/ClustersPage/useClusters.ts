import { useApi } from '@backstage/core-plugin-api';
import { devopsApiRef } from '../../api';
import { useReloadable } from '../../lib/useReloadable';

/**
 * The bound clusters the user may see, and whether they may bind one; `reload` after a
 * bind or an unbind shows its effect.
 */
export function useClusters() {
  const devopsApi = useApi(devopsApiRef);
  const { value, ...state } = useReloadable(
    () => devopsApi.listClusters(),
    [devopsApi],
  );
  return {
    clusters: value?.items ?? [],
    canBind: value?.canBind ?? false,
    ...state,
  };
}

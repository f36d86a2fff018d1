import { useApi } from '@backstage/core-plugin-api';
import { devopsApiRef } from '../../api';
import { useReloadable } from '../../lib/useReloadable';

/** The bound clusters; `reload` after a bind or an unbind shows its effect. */
export function useClusters() {
  const devopsApi = useApi(devopsApiRef);
  const { value, ...state } = useReloadable(
    () => devopsApi.listClusters(),
    [devopsApi],
  );
  return { clusters: value ?? [], ...state };
}

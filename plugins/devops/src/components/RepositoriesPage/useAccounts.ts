import { useApi } from '@backstage/core-plugin-api';
import { useEffect } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { devopsApiRef } from '../../api';

/** The signed-in user's code host accounts; `reload` after a log out shows its effect. */
export function useAccounts() {
  const devopsApi = useApi(devopsApiRef);
  const [state, load] = useAsyncFn(
    () => devopsApi.listAccounts(),
    [devopsApi],
    {
      loading: true,
    },
  );
  useEffect(() => {
    load();
  }, [load]);
  return {
    accounts: state.value ?? [],
    loading: state.loading,
    error: state.error,
    reload: load,
  };
}

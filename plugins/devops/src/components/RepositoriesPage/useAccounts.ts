import { useApi } from '@backstage/core-plugin-api';
import { devopsApiRef } from '../../api';
import { useReloadable } from '../../lib/useReloadable';

/** The signed-in user's code host accounts; `reload` after a log out shows its effect. */
export function useAccounts() {
  const devopsApi = useApi(devopsApiRef);
  const { value, ...state } = useReloadable(
    () => devopsApi.listAccounts(),
    [devopsApi],
  );
  return { accounts: value ?? [], ...state };
}

import {
  CODE_HOST_NAMES,
  CODE_HOST_PROVIDERS,
} from '@devops-pipelines/plugin-devops-common';
import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
  WarningPanel,
} from '@backstage/core-components';
import { useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { CodeHostProvider } from '../../api';
import { ConnectAccountForm } from './ConnectAccountForm';
import { ConnectedAccount } from './ConnectedAccount';
import { RepositoryList } from './RepositoryList';
import { useAccounts } from './useAccounts';

/**
 * Code repositories (SPEC §7): a tab per code host with the user's own account on it,
 * connected through an OAuth application registered for this portal, and the
 * repositories it can read; or the form to connect one. The host's authorization sends
 * the browser back here, with the account connected or the host's reason why not.
 */
export const RepositoriesPage = () => {
  const [params] = useSearchParams();
  const returned = params.get('provider') as CodeHostProvider | null;
  const [provider, setProvider] = useState<CodeHostProvider>(
    returned && CODE_HOST_PROVIDERS.includes(returned) ? returned : 'github',
  );
  const { accounts, loading, error, reload } = useAccounts();
  const account = accounts.find(a => a.provider === provider && a.connected);
  const name = CODE_HOST_NAMES[provider];

  let content;
  if (error) content = <ResponseErrorPanel error={error} />;
  else if (loading) content = <Progress />;
  else if (account)
    content = <ConnectedAccount account={account} onLoggedOut={reload} />;
  else content = <ConnectAccountForm provider={provider} />;

  return (
    <>
      {returned === provider && params.get('connected') && (
        <Box mb={2}>
          <WarningPanel
            severity="info"
            title={`Connected the ${name} account ${params.get('connected')}`}
          />
        </Box>
      )}
      {returned === provider && params.get('problem') && (
        <Box mb={2}>
          <WarningPanel
            severity="error"
            title={`The ${name} account was not connected`}
            defaultExpanded
          >
            {params.get('problem')}
          </WarningPanel>
        </Box>
      )}
      <Tabs
        value={provider}
        onChange={(_, value) => setProvider(value)}
        indicatorColor="primary"
        textColor="primary"
      >
        {CODE_HOST_PROVIDERS.map(p => (
          <Tab key={p} value={p} label={CODE_HOST_NAMES[p]} />
        ))}
      </Tabs>
      <InfoCard title={`${name} account`}>{content}</InfoCard>
      {account && (
        <Box mt={2}>
          {/* Keyed, so that another tab's list starts over from its first page. */}
          <RepositoryList key={account.id} provider={provider} />
        </Box>
      )}
    </>
  );
};

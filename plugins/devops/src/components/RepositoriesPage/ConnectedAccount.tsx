import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import { devopsApiRef, type CodeHostAccountSummary } from '../../api';
import { useSubmit } from '../../lib/useSubmit';
import { ConfirmDialog } from '../ConfirmDialog';
import { DialogError } from '../SubmitDialog';

/** The user's connected account on a host, and logging it out. */
export const ConnectedAccount = ({
  account,
  onLoggedOut,
}: {
  account: CodeHostAccountSummary;
  onLoggedOut(): void;
}) => {
  const devopsApi = useApi(devopsApiRef);
  const [confirming, setConfirming] = useState(false);
  const name = CODE_HOST_NAMES[account.provider];
  const { busy, error, submit } = useSubmit(
    () => devopsApi.disconnectAccount(account.provider),
    () => {
      setConfirming(false);
      onLoggedOut();
    },
  );
  return (
    <>
      <Typography variant="body1" paragraph>
        Connected as <strong>{account.login}</strong> on {account.baseUrl},
        through the OAuth application {account.clientId}.
      </Typography>
      <Button
        variant="outlined"
        color="secondary"
        onClick={() => setConfirming(true)}
      >
        Log out
      </Button>
      <ConfirmDialog
        open={confirming}
        title={`Log out of ${name}?`}
        confirmLabel="Log out"
        destructive
        busy={busy}
        onConfirm={() => submit(undefined)}
        onClose={() => setConfirming(false)}
      >
        The portal forgets the tokens of {account.login}; connect again to use
        the account.
        <DialogError error={error} />
      </ConfirmDialog>
    </>
  );
};

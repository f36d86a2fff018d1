import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import { devopsApiRef, type CodeHostProvider } from '../../api';
import { leaveAppFor } from '../../lib/leaveApp';
import { useSubmit } from '../../lib/useSubmit';
import { DialogError } from '../SubmitDialog';
import { CREDENTIAL_LABELS } from './providers';
import { RegistrationDetails } from './RegistrationDetails';

/**
 * Connecting an account: the OAuth application's credentials, and the host's address
 * when it is private or self-hosted. Connecting goes to the host to authorize the
 * application, which sends the browser back to this page.
 */
export const ConnectAccountForm = ({
  provider,
}: {
  provider: CodeHostProvider;
}) => {
  const devopsApi = useApi(devopsApiRef);
  const labels = CREDENTIAL_LABELS[provider];
  const [clientId, setClientId] = useState('');
  const [clientSecret, setClientSecret] = useState('');
  const [privateHost, setPrivateHost] = useState(false);
  const [baseUrl, setBaseUrl] = useState('');
  const { busy, error, submit } = useSubmit(
    () =>
      devopsApi.connectAccount(provider, {
        clientId,
        clientSecret,
        ...(privateHost ? { baseUrl } : {}),
      }),
    ({ authorizeUrl }) => leaveAppFor(authorizeUrl),
  );
  const complete =
    clientId.trim() && clientSecret.trim() && (!privateHost || baseUrl.trim());

  return (
    <Box maxWidth={640}>
      <RegistrationDetails provider={provider} />
      <TextField
        id={`${provider}-client-id`}
        label={labels.clientId}
        value={clientId}
        onChange={event => setClientId(event.target.value)}
        fullWidth
        margin="dense"
      />
      <TextField
        id={`${provider}-client-secret`}
        label={labels.clientSecret}
        type="password"
        value={clientSecret}
        onChange={event => setClientSecret(event.target.value)}
        fullWidth
        margin="dense"
      />
      <Typography variant="caption" color="textSecondary" component="p">
        These must be the credentials of an application registered for this
        portal, with the callback URL above.
      </Typography>
      <FormControlLabel
        label={labels.privateHost}
        control={
          <Checkbox
            checked={privateHost}
            onChange={event => setPrivateHost(event.target.checked)}
          />
        }
      />
      {privateHost && (
        <TextField
          id={`${provider}-base-url`}
          label="Base URL"
          placeholder={labels.baseUrl}
          value={baseUrl}
          onChange={event => setBaseUrl(event.target.value)}
          fullWidth
          margin="dense"
        />
      )}
      <DialogError error={error} />
      <Box mt={2}>
        <Button
          variant="contained"
          color="primary"
          disabled={busy || !complete}
          onClick={() => submit(undefined)}
        >
          Connect {CODE_HOST_NAMES[provider]}
        </Button>
      </Box>
    </Box>
  );
};

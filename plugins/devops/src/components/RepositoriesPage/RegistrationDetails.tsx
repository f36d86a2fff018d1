import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { CopyTextButton, Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { devopsApiRef, type CodeHostProvider } from '../../api';

const CopyableValue = ({ label, value }: { label: string; value: string }) => (
  <Box display="flex" alignItems="center" gridGap={8}>
    <Typography variant="body2" component="span">
      {label}:
    </Typography>
    <Typography
      variant="body2"
      component="code"
      data-testid={`registration-${label}`}
    >
      {value}
    </Typography>
    <CopyTextButton
      text={value}
      tooltipText={`${label} copied`}
      aria-label={`Copy ${label}`}
    />
  </Box>
);

/** What to enter when registering the OAuth application on the host (SPEC §7). */
export const RegistrationDetails = ({
  provider,
}: {
  provider: CodeHostProvider;
}) => {
  const devopsApi = useApi(devopsApiRef);
  const { value, loading, error } = useAsync(
    () => devopsApi.getAccountRegistration(provider),
    [devopsApi, provider],
  );
  if (loading) return <Progress />;
  if (error || !value) {
    return (
      <Typography color="error" variant="body2">
        What to register could not be read: {error?.message}
      </Typography>
    );
  }
  return (
    <Box mb={2}>
      <Typography variant="body2" paragraph>
        Register an OAuth application for this portal on{' '}
        {CODE_HOST_NAMES[provider]} with these values, then enter its
        credentials below.
      </Typography>
      <CopyableValue label="Homepage URL" value={value.homepageUrl} />
      <CopyableValue label="Callback URL" value={value.callbackUrl} />
      {provider === 'gitlab' && (
        <CopyableValue label="Scopes" value={value.scopes.join(' ')} />
      )}
    </Box>
  );
};

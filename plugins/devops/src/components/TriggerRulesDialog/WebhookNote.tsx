import Typography from '@material-ui/core/Typography';
import { discoveryApiRef, useApi } from '@backstage/core-plugin-api';
import type { PipelineSource } from '@devops-pipelines/plugin-devops-common';
import useAsync from 'react-use/esm/useAsync';

/**
 * What event triggers depend on (SPEC §5): the code host sends its events to the
 * backend's webhook URL, registered with the connected account. Saying so up front
 * saves a user from waiting for runs that cannot come.
 */
export const WebhookNote = ({ source }: { source?: PipelineSource }) => {
  const discoveryApi = useApi(discoveryApiRef);
  const { value: baseUrl } = useAsync(
    () => discoveryApi.getBaseUrl('devops'),
    [discoveryApi],
  );

  if (!source) {
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        Event triggers need a code source in a connected GitHub or GitLab
        account; this pipeline has none yet.
      </Typography>
    );
  }
  if (source.provider === 'git') {
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        Event triggers need a GitHub or GitLab repository: a plain Git source
        sends no webhooks. A periodic trigger can run it regularly instead.
      </Typography>
    );
  }
  return (
    <Typography variant="caption" color="textSecondary" component="div">
      Event triggers need {source.repository} in a connected code repository
      account with the right to manage its webhooks. Enabling them registers a
      webhook, and the code host must be able to reach this URL:
      {baseUrl && (
        <Typography
          variant="caption"
          component="code"
          display="block"
          data-testid="webhook-url"
        >
          {`${baseUrl}/webhooks/${source.provider}`}
        </Typography>
      )}
    </Typography>
  );
};

import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import {
  CODE_HOST_NAMES,
  type PipelineSource,
  type WebhookProviderSettings,
} from '@devops-pipelines/plugin-devops-common';

/** Where the code host's webhook must point and with what, to register it by hand. */
const ManualRegistration = ({
  provider,
  url,
}: {
  provider: 'github' | 'gitlab';
  url: string;
}) => (
  <Typography variant="caption" color="textSecondary" component="div">
    To register it by hand, add a webhook on the repository with the URL
    <Typography
      variant="caption"
      component="code"
      display="block"
      data-testid="webhook-url"
    >
      {url}
    </Typography>
    {provider === 'github'
      ? 'content type application/json, the events "Pushes" and "Pull requests", and as its secret the portal\'s events.modules.github.webhookSecret (your portal admin has it).'
      : 'the triggers "Push events", "Tag push events" and "Merge request events", and as its secret token the portal\'s events.modules.gitlab.webhookSecret (your portal admin has it).'}
  </Typography>
);

export type WebhookNoteProps = {
  source?: PipelineSource;
  /** The backend's settings for the source's code host; undefined while they load. */
  webhook?: WebhookProviderSettings;
  /** Whether the user registered the webhook by hand, so saving skips it. */
  manual: boolean;
  onManualChange(manual: boolean): void;
};

/**
 * What event triggers depend on (SPEC §5): a GitHub or GitLab source, a portal that
 * receives that host's webhooks, and a webhook on the repository, which saving
 * registers, or which the user registers by hand where the portal may not.
 */
export const WebhookNote = ({
  source,
  webhook,
  manual,
  onManualChange,
}: WebhookNoteProps) => {
  if (!source) {
    return (
      <Typography variant="caption" color="textSecondary" component="p">
        Event triggers need a GitHub or GitLab code source; this pipeline has
        none yet.
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
  if (!webhook) return null;
  if (!webhook.enabled) {
    return (
      <Typography variant="caption" color="error" component="p">
        {webhook.problem}.
      </Typography>
    );
  }
  const host = CODE_HOST_NAMES[source.provider];
  return (
    <>
      <Typography variant="caption" color="textSecondary" component="p">
        Saving event triggers registers a webhook on {source.repository} with
        the portal's {host} credentials (one webhook, shared by every pipeline
        on the repository).
      </Typography>
      <ManualRegistration provider={source.provider} url={webhook.url} />
      <FormControlLabel
        label="I registered the webhook by hand"
        control={
          <Checkbox
            size="small"
            checked={manual}
            onChange={event => onManualChange(event.target.checked)}
          />
        }
      />
    </>
  );
};

import Checkbox from '@material-ui/core/Checkbox';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormGroup from '@material-ui/core/FormGroup';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import type {
  PipelineSource,
  WebhookProviderSettings,
} from '@devops-pipelines/plugin-devops-common';
import type { EventFlags } from './triggersForm';
import { WebhookNote } from './WebhookNote';

const events: ReadonlyArray<{ key: keyof EventFlags; label: string }> = [
  { key: 'push', label: 'Push' },
  { key: 'merge', label: 'Merge' },
  { key: 'tag', label: 'Tag' },
];

export type EventTriggerFieldsProps = {
  value: EventFlags;
  source?: PipelineSource;
  /** The backend's settings for the source's code host; undefined while they load. */
  webhook?: WebhookProviderSettings;
  manualWebhook: boolean;
  onChange: (value: EventFlags) => void;
  onManualWebhookChange: (manual: boolean) => void;
};

/** The push / merge / tag checkboxes and what they need to work. */
export const EventTriggerFields = (props: EventTriggerFieldsProps) => {
  const { value, source, webhook, onChange } = props;
  const branch = source?.branch ?? 'the branch';
  // An event the portal cannot receive is not offered; one saved before can be turned off.
  const available =
    !!source && source.provider !== 'git' && webhook?.enabled === true;
  return (
    <FormControl component="fieldset" margin="normal" fullWidth>
      <FormLabel component="legend">Event triggers</FormLabel>
      <FormGroup row>
        {events.map(({ key, label }) => (
          <FormControlLabel
            key={key}
            label={label}
            control={
              <Checkbox
                checked={value[key]}
                disabled={!available && !value[key]}
                onChange={event =>
                  onChange({ ...value, [key]: event.target.checked })
                }
              />
            }
          />
        ))}
      </FormGroup>
      <FormHelperText>
        Push: a commit to {branch}. Merge: a pull or merge request merged into{' '}
        {branch}. Tag: a tag created or pushed.
      </FormHelperText>
      <WebhookNote
        source={source}
        webhook={webhook}
        manual={props.manualWebhook}
        onManualChange={props.onManualWebhookChange}
      />
    </FormControl>
  );
};

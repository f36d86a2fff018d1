import Dialog from '@material-ui/core/Dialog';
import MenuItem from '@material-ui/core/MenuItem';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  DEFAULT_RUN_NOTIFICATIONS,
  updateSettingsRequestSchema,
  type Pipeline,
  type RunNotifications,
} from '@devops-pipelines/plugin-devops-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { errorMessage } from '../../lib/errorMessage';
import { devopsApiRef, type PipelineSettings } from '../../api';
import { numberInput } from '../../lib/numberInput';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useSubmit } from '../../lib/useSubmit';
import { validate } from '../../lib/validation';
import { DialogError, SubmitDialogActions } from '../SubmitDialog';

/** The notification settings as the select offers them, with what each sends. */
export const NOTIFICATION_CHOICES: Record<
  RunNotifications,
  { label: string; help: string }
> = {
  failures: {
    label: 'Failures and fixes',
    help: 'The owners of its entity are notified when a run fails or times out, and when the next one succeeds again.',
  },
  all: {
    label: 'Every run',
    help: 'The owners of its entity are notified whenever a run ends: succeeded, failed, timed out or stopped.',
  },
  off: {
    label: 'Off',
    help: 'Nobody is notified of its runs.',
  },
};

/** @public */
export type AdvancedSettingsDialogProps = {
  open: boolean;
  pipeline: Pipeline;
  onClose(): void;
  /** Called with the pipeline as the backend stored it. */
  onSaved(pipeline: Pipeline): void;
};

const AdvancedSettingsForm = (
  props: Omit<AdvancedSettingsDialogProps, 'open'>,
) => {
  const { pipeline, onClose, onSaved } = props;
  const devopsApi = useApi(devopsApiRef);
  // 0 is "no timeout", shown as an empty field like a pipeline that never set one.
  const [minutes, setMinutes] = useState(
    pipeline.spec.timeoutMinutes ? String(pipeline.spec.timeoutMinutes) : '',
  );
  const [notifications, setNotifications] = useState<RunNotifications>(
    pipeline.spec.notifications ?? DEFAULT_RUN_NOTIFICATIONS,
  );
  // '' is automatic: the rule decides among the bindings that serve the project.
  const [cluster, setCluster] = useState(pipeline.spec.cluster ?? '');
  const bindings = useAsync(
    async () => devopsApi.listPipelineBindings(pipeline.status.id),
    [devopsApi, pipeline.status.id],
  );
  // A choice is offered where there is one to make, or one to undo.
  const choosing =
    bindings.value !== undefined &&
    (bindings.value.items.length > 1 || Boolean(pipeline.spec.cluster));
  const validation = useMemo(
    () =>
      validate(updateSettingsRequestSchema, {
        timeoutMinutes: numberInput(minutes) ?? 0,
      }),
    [minutes],
  );
  const { busy, error, submit } = useSubmit(
    (settings: PipelineSettings) =>
      devopsApi.updateSettings(pipeline.status.id, settings),
    onSaved,
  );
  const fieldError = validation.errors?.timeoutMinutes;

  return (
    <>
      <DialogTitle id="advanced-settings-title">
        Advanced settings of "{pipelineTitle(pipeline)}"
      </DialogTitle>
      <DialogContent>
        <TextField
          id="pipeline-timeout"
          label="Timeout (minutes)"
          type="number"
          value={minutes}
          onChange={event => setMinutes(event.target.value)}
          error={Boolean(fieldError)}
          helperText={
            fieldError ?? 'Empty or 0: no timeout. At most 20160 (14 days).'
          }
          inputProps={{ min: 0 }}
          InputLabelProps={{ shrink: true }}
          fullWidth
          margin="normal"
        />
        <Typography variant="body2" color="textSecondary">
          The timeout counts only the time tasks run; waiting for cluster
          resources does not count. A run that exceeds it is stopped as timed
          out. Whatever the timeout, every run ends 14 days after it started.
        </Typography>
        <TextField
          id="pipeline-notifications"
          select
          label="Notifications"
          value={notifications}
          onChange={event =>
            setNotifications(event.target.value as RunNotifications)
          }
          helperText={`${NOTIFICATION_CHOICES[notifications].help} They appear in Backstage's notifications.`}
          fullWidth
          margin="normal"
        >
          {Object.entries(NOTIFICATION_CHOICES).map(([value, { label }]) => (
            <MenuItem key={value} value={value}>
              {label}
            </MenuItem>
          ))}
        </TextField>
        {choosing && bindings.value && (
          <TextField
            id="pipeline-cluster"
            select
            label="Cluster"
            value={cluster}
            onChange={event => setCluster(event.target.value)}
            helperText={
              bindings.value.current
                ? `Its runs take ${bindings.value.current.name} now: ${bindings.value.current.reason}.`
                : 'Several bound clusters serve its project: its runs take the one chosen here.'
            }
            fullWidth
            margin="normal"
          >
            <MenuItem value="">
              Automatic (the first bound for its project)
            </MenuItem>
            {bindings.value.items.map(binding => (
              <MenuItem key={binding.name} value={binding.name}>
                {binding.name} (namespace {binding.namespace},{' '}
                {binding.scope.length
                  ? `for ${binding.scope.join(', ')}`
                  : 'for the whole portal'}
                )
              </MenuItem>
            ))}
          </TextField>
        )}
        {bindings.error && (
          <Typography variant="body2" color="textSecondary">
            The clusters that may run it could not be read (
            {errorMessage(bindings.error)}); the cluster it runs on is left as
            it is.
          </Typography>
        )}
        <DialogError error={error} />
      </DialogContent>
      <SubmitDialogActions
        submitLabel="Save"
        busy={busy}
        canSubmit={!!validation.value}
        onCancel={onClose}
        onSubmit={() =>
          validation.value &&
          submit({
            ...validation.value,
            notifications,
            ...(choosing ? { cluster: cluster || null } : {}),
          })
        }
      />
    </>
  );
};

/**
 * Edits a pipeline's run timeout, checked with the schema the backend uses, which ended
 * runs notify its owners, and, where several bound clusters serve its project, which of
 * them its runs take (SPEC §1).
 *
 * @public
 */
export const AdvancedSettingsDialog = ({
  open,
  ...props
}: AdvancedSettingsDialogProps) => (
  <Dialog
    open={open}
    onClose={props.onClose}
    fullWidth
    maxWidth="xs"
    aria-labelledby="advanced-settings-title"
  >
    {/* Mounted for each opening, so the field starts from the stored setting. */}
    <AdvancedSettingsForm {...props} />
  </Dialog>
);

import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  updateSettingsRequestSchema,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import { useMemo, useState } from 'react';
import { devopsApiRef, type PipelineSettings } from '../../api';
import { numberInput } from '../../lib/numberInput';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useSubmit } from '../../lib/useSubmit';
import { validate } from '../../lib/validation';
import { DialogError, SubmitDialogActions } from '../SubmitDialog';

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
        <DialogError error={error} />
      </DialogContent>
      <SubmitDialogActions
        submitLabel="Save"
        busy={busy}
        canSubmit={!!validation.value}
        onCancel={onClose}
        onSubmit={() => validation.value && submit(validation.value)}
      />
    </>
  );
};

/**
 * Edits a pipeline's run timeout, checked with the schema the backend uses.
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

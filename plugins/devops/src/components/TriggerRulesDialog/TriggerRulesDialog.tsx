import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import {
  triggersSchema,
  type Pipeline,
  type Triggers,
} from '@devops-pipelines/plugin-devops-common';
import { useMemo, useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import { devopsApiRef } from '../../api';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useSubmit } from '../../lib/useSubmit';
import { validate } from '../../lib/validation';
import { EventTriggerFields } from './EventTriggerFields';
import { NextFireTimes } from './NextFireTimes';
import { ScheduleFields } from './ScheduleFields';
import {
  formFromTriggers,
  triggersInput,
  type TriggersForm,
} from './triggersForm';
import { DialogError, SubmitDialogActions } from '../SubmitDialog';

/** @public */
export type TriggerRulesDialogProps = {
  open: boolean;
  pipeline: Pipeline;
  onClose(): void;
  /** Called with the pipeline as the backend stored it. */
  onSaved(pipeline: Pipeline): void;
};

const TriggerRulesForm = (props: Omit<TriggerRulesDialogProps, 'open'>) => {
  const { pipeline, onClose, onSaved } = props;
  const devopsApi = useApi(devopsApiRef);
  const { source } = pipeline.spec;
  const [form, setForm] = useState(() =>
    formFromTriggers(pipeline.spec.triggers),
  );
  const validation = useMemo(
    () => validate(triggersSchema, triggersInput(form)),
    [form],
  );
  const [manualWebhook, setManualWebhook] = useState(false);
  const { busy, error, submit } = useSubmit(
    (triggers: Triggers) =>
      devopsApi.updateTriggers(pipeline.status.id, triggers, { manualWebhook }),
    onSaved,
  );
  const change = (patch: Partial<TriggersForm>) =>
    setForm(previous => ({ ...previous, ...patch }));
  // Schedules fire in the backend's zone, whatever the browser's is.
  const settings = useAsync(() => devopsApi.getTriggerSettings(), [devopsApi]);
  const zone = useMemo(
    () =>
      settings.value && {
        name: settings.value.timezone,
        origin: "the portal's timer, devops.triggers.timezone",
      },
    [settings.value],
  );

  return (
    <>
      <DialogTitle id="trigger-rules-title">
        Trigger rules of "{pipelineTitle(pipeline)}"
      </DialogTitle>
      <DialogContent>
        <Typography variant="body2" color="textSecondary">
          Manual runs are always possible. Event and periodic triggers can be
          combined; an inactive pipeline is started by neither.
        </Typography>
        <EventTriggerFields
          value={form.events}
          source={source}
          webhook={
            source && source.provider !== 'git'
              ? settings.value?.webhooks[source.provider]
              : undefined
          }
          manualWebhook={manualWebhook}
          onChange={events => change({ events })}
          onManualWebhookChange={setManualWebhook}
        />
        <ScheduleFields
          form={form}
          errors={validation.errors ?? {}}
          onChange={change}
        />
        {form.every !== 'none' && zone && (
          <NextFireTimes
            schedule={validation.value?.schedule ?? undefined}
            zone={zone}
          />
        )}
        {form.every !== 'none' && settings.error && (
          <Typography variant="body2" color="error">
            The next fire times cannot be shown: the time zone of the portal's
            timer could not be read ({settings.error.message}).
          </Typography>
        )}
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
 * Edits when a pipeline starts by itself: code host events and a periodic schedule,
 * checked with the schema the backend uses, with a preview of the next fire times.
 *
 * @public
 */
export const TriggerRulesDialog = ({
  open,
  ...props
}: TriggerRulesDialogProps) => (
  <Dialog
    open={open}
    onClose={props.onClose}
    fullWidth
    maxWidth="sm"
    aria-labelledby="trigger-rules-title"
  >
    {/* Mounted for each opening, so the fields start from the stored rules. */}
    <TriggerRulesForm {...props} />
  </Dialog>
);

import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import type {
  Pipeline,
  PipelineTriggerState,
} from '@devops-pipelines/plugin-devops-common';
import { DateTime } from 'luxon';
import { useState } from 'react';
import { TriggerRulesDialog } from '../TriggerRulesDialog';
import { DetailsList } from './DetailsList';
import { describeEvents, describeSchedule } from './describeTriggers';
import { EditCardAction } from './EditCardAction';

export type TriggerRulesCardProps = {
  pipeline: Pipeline;
  /** The backend's view of the saved triggers; absent while it loads. */
  triggerState?: PipelineTriggerState;
  onSaved: (pipeline: Pipeline) => void;
};

/** The backend's next fire times, in the zone the timer fires in. */
const NextFires = ({ state }: { state?: PipelineTriggerState }) => {
  if (!state) return <>…</>;
  return (
    <>
      {state.nextFireTimes.map(iso => (
        <div key={iso}>
          <time dateTime={iso}>
            {DateTime.fromISO(iso)
              .setZone(state.timezone)
              .toFormat('ccc d LLL yyyy, HH:mm')}
          </time>
        </div>
      ))}
      <Typography variant="caption" color="textSecondary">
        {state.timezone}, the zone of the portal's timer
      </Typography>
    </>
  );
};

/** Which code-host events and which schedule start the pipeline; editable. */
export const TriggerRulesCard = ({
  pipeline,
  triggerState,
  onSaved,
}: TriggerRulesCardProps) => {
  const [editing, setEditing] = useState(false);
  const { triggers } = pipeline.spec;
  return (
    <InfoCard
      title="Trigger rules"
      action={
        <EditCardAction
          label="Edit trigger rules"
          pipelineId={pipeline.status.id}
          onClick={() => setEditing(true)}
        />
      }
    >
      <DetailsList
        items={[
          ['Manual', 'Run button, re-runs, save and run'],
          ['Code events', describeEvents(triggers?.events) ?? 'None'],
          [
            'Periodic',
            triggers?.schedule ? describeSchedule(triggers.schedule) : 'None',
          ],
          ...(triggers?.schedule && pipeline.status.active
            ? [['Next runs', <NextFires state={triggerState} />] as const]
            : []),
        ]}
      />
      {!pipeline.status.active && (
        <Typography variant="body2" color="textSecondary">
          The pipeline is inactive: triggers do not start it until it is
          activated.
        </Typography>
      )}
      <TriggerRulesDialog
        open={editing}
        pipeline={pipeline}
        onClose={() => setEditing(false)}
        onSaved={saved => {
          setEditing(false);
          onSaved(saved);
        }}
      />
    </InfoCard>
  );
};

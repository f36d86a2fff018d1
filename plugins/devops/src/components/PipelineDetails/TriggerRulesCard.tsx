import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { TriggerRulesDialog } from '../TriggerRulesDialog';
import { DetailsList } from './DetailsList';
import { describeEvents, describeSchedule } from './describeTriggers';
import { EditCardAction } from './EditCardAction';

export type TriggerRulesCardProps = {
  pipeline: Pipeline;
  onSaved: (pipeline: Pipeline) => void;
};

/** Which code-host events and which schedule start the pipeline; editable. */
export const TriggerRulesCard = ({
  pipeline,
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

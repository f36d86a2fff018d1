import { InfoCard } from '@backstage/core-components';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { DEFAULT_RUN_NOTIFICATIONS } from '@devops-pipelines/plugin-devops-common';
import {
  AdvancedSettingsDialog,
  NOTIFICATION_CHOICES,
} from '../AdvancedSettingsDialog';
import { DetailsList } from './DetailsList';
import { EditCardAction } from './EditCardAction';

export type AdvancedSettingsCardProps = {
  pipeline: Pipeline;
  onSaved: (pipeline: Pipeline) => void;
};

/** The run timeout and notifications, editable, and the static parameters every task sees. */
export const AdvancedSettingsCard = ({
  pipeline,
  onSaved,
}: AdvancedSettingsCardProps) => {
  const [editing, setEditing] = useState(false);
  const {
    timeoutMinutes,
    notifications = DEFAULT_RUN_NOTIFICATIONS,
    parameters = [],
  } = pipeline.spec;
  return (
    <InfoCard
      title="Advanced settings"
      action={
        <EditCardAction
          label="Edit advanced settings"
          pipelineId={pipeline.status.id}
          onClick={() => setEditing(true)}
        />
      }
    >
      <DetailsList
        items={[
          [
            'Timeout',
            timeoutMinutes
              ? `${timeoutMinutes} minutes`
              : 'None (a run still ends after 14 days)',
          ],
          ['Notifications', NOTIFICATION_CHOICES[notifications].label],
          [
            'Parameters',
            parameters.length === 0
              ? 'None'
              : parameters
                  // Secret values never come back from the backend.
                  .map(p => `${p.name}=${p.secret ? '••••••' : p.value}`)
                  .join(', '),
          ],
        ]}
      />
      <AdvancedSettingsDialog
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

import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { InfoCard, Progress, WarningPanel } from '@backstage/core-components';
import type {
  PipelineTriggerState,
  TriggerActivity,
} from '@devops-pipelines/plugin-devops-common';
import { formatTime } from '../../lib/formatTime';
import { RunLink } from '../RunHistory';
import { RunStatus } from '../RunStatus';

const SOURCE_LABELS: Record<TriggerActivity['source'], string> = {
  schedule: 'Timer',
  github: 'GitHub',
  gitlab: 'GitLab',
};

const Outcome = ({ activity }: { activity: TriggerActivity }) => {
  if (activity.run) {
    return (
      <>
        Started run <RunLink run={activity.run} />{' '}
        <RunStatus status={activity.run.status} />
      </>
    );
  }
  const label = activity.outcome === 'duplicate' ? 'Duplicate' : 'Not started';
  return (
    <>
      {label}: {activity.reason}
    </>
  );
};

export type TriggerActivityCardProps = {
  state?: PipelineTriggerState;
  error?: Error;
  loading: boolean;
};

/**
 * The latest fire times and code host deliveries that concerned the pipeline and what
 * each did: the answer to "why did (not) it run?" (SPEC §5).
 */
export const TriggerActivityCard = ({
  state,
  error,
  loading,
}: TriggerActivityCardProps) => (
  <InfoCard
    title="Trigger activity"
    subheader="The latest 50 fire times and code host deliveries for this pipeline"
  >
    {loading && !state && <Progress />}
    {error && (
      <WarningPanel
        severity="error"
        title="The trigger activity could not be read"
      >
        {error.message}
      </WarningPanel>
    )}
    {state && state.activity.length === 0 && (
      <Typography variant="body2" color="textSecondary">
        No timer has fired and no code host event has arrived for this pipeline
        yet.
      </Typography>
    )}
    {state && state.activity.length > 0 && (
      <List dense aria-label="Trigger activity">
        {state.activity.map(activity => (
          <ListItem key={activity.id} divider>
            <ListItemText
              primary={
                <>
                  {SOURCE_LABELS[activity.source]}: {activity.summary}
                </>
              }
              secondary={
                <>
                  <time dateTime={activity.occurredAt}>
                    {formatTime(activity.occurredAt)}
                  </time>
                  {' · '}
                  <Outcome activity={activity} />
                </>
              }
            />
          </ListItem>
        ))}
      </List>
    )}
  </InfoCard>
);

import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import type { RunSummary } from '@devops-pipelines/plugin-devops-common';
import { formatTime } from '../../lib/formatTime';
import { RunLink, formatDuration, runCause } from '../RunHistory';
import { RunStatus } from '../RunStatus';
import { DetailsList } from './DetailsList';

/** The most recent run, with a link to its page. */
export const LatestRunCard = ({ run }: { run?: RunSummary }) => (
  <InfoCard title="Latest run">
    {run ? (
      <DetailsList
        items={[
          ['Run', <RunLink run={run} />],
          [
            'Status',
            <span data-testid="latest-run-status" data-status={run.status}>
              <RunStatus status={run.status} />
            </span>,
          ],
          ['Cause', runCause(run)],
          ['Started', formatTime(run.startedAt ?? run.queuedAt)],
          ['Duration', formatDuration(run.durationMs)],
        ]}
      />
    ) : (
      <Typography color="textSecondary">
        Never run. Run it with the button above, or let its triggers start it.
      </Typography>
    )}
  </InfoCard>
);

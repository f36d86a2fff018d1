import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Typography from '@material-ui/core/Typography';
import {
  describeRunTrigger,
  isFinalStatus,
  type RunSummary,
} from '@devops-pipelines/plugin-devops-common';
import { formatDuration } from '../RunHistory/formatDuration';
import { RunLink } from '../RunHistory/RunLink';
import { RunStatus } from '../RunStatus';

/**
 * A pipeline's latest run in one line: status, BUILD_ID linking to the run's page,
 * duration and who or what started it. While the run is unfinished a bar moves under
 * it; the duration grows each time the card reads the run again.
 */
export const LatestRunSummary = ({ run }: { run?: RunSummary }) => {
  if (!run) {
    return (
      <Typography variant="body2" color="textSecondary">
        Never run
      </Typography>
    );
  }
  const unfinished = !isFinalStatus(run.status);
  return (
    <>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={12}>
        <span data-testid="latest-run-status" data-status={run.status}>
          <RunStatus status={run.status} />
        </span>
        <Typography variant="body2" component="span">
          <RunLink run={run} />
        </Typography>
        <Typography variant="body2" component="span" aria-label="Duration">
          {formatDuration(run.durationMs)}
        </Typography>
        <Typography variant="body2" component="span" color="textSecondary">
          {describeRunTrigger(run.trigger)}
        </Typography>
      </Box>
      {unfinished && (
        <Box mt={0.5}>
          <LinearProgress aria-label={`Run #${run.buildId} in progress`} />
        </Box>
      )}
    </>
  );
};

import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import ReplayIcon from '@material-ui/icons/Replay';
import StopIcon from '@material-ui/icons/Stop';
import {
  isFinalStatus,
  type RunSummary,
} from '@devops-pipelines/plugin-devops-common';
import { formatTime } from '../../lib/formatTime';
import { RunStatus } from '../RunStatus';
import { formatDuration } from './formatDuration';
import { runCause } from './runCause';
import { RunLink } from './RunLink';
import type { RunAction } from './useRunActions';

export type RunCardProps = {
  run: RunSummary;
  onAction: (action: RunAction, run: RunSummary) => void;
};

/** One run in the timeline: number, status, branch, duration, cause; re-run and stop. */
export const RunCard = ({ run, onAction }: RunCardProps) => (
  <Card
    variant="outlined"
    data-testid={`run-record-${run.buildId}`}
    data-status={run.status}
  >
    <CardContent>
      <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
        <Typography variant="h6" component="span">
          <RunLink run={run} />
        </Typography>
        <RunStatus status={run.status} />
        <Box flexGrow={1} />
        <Tooltip title="Run again with this run's configuration">
          <IconButton
            size="small"
            aria-label={`Re-run #${run.buildId}`}
            onClick={() => onAction('rerun', run)}
          >
            <ReplayIcon />
          </IconButton>
        </Tooltip>
        {!isFinalStatus(run.status) && (
          <Tooltip title="Stop this run">
            <IconButton
              size="small"
              aria-label={`Stop #${run.buildId}`}
              onClick={() => onAction('stop', run)}
            >
              <StopIcon />
            </IconButton>
          </Tooltip>
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        {[
          run.branch && `Branch ${run.branch}`,
          formatDuration(run.durationMs),
          runCause(run),
          formatTime(run.startedAt ?? run.queuedAt),
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
    </CardContent>
  </Card>
);

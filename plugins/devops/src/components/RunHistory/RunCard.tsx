import Box from '@material-ui/core/Box';
import Card from '@material-ui/core/Card';
import CardContent from '@material-ui/core/CardContent';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import ReplayIcon from '@material-ui/icons/Replay';
import StopIcon from '@material-ui/icons/Stop';
import {
  isFinalStatus,
  type RunSummary,
} from '@devops-pipelines/plugin-devops-common';
import { formatTime } from '../../lib/formatTime';
import type { ActionPermission } from '../../lib/usePipelinePermissions';
import { DisabledTooltip } from '../DisabledTooltip';
import { RunStatus } from '../RunStatus';
import { formatDuration } from './formatDuration';
import { RunCause } from './RunCause';
import { RunLink } from './RunLink';
import type { RunAction } from './useRunActions';

export type RunCardProps = {
  run: RunSummary;
  /** Whether the user may re-run and stop the run. */
  execute: ActionPermission;
  onAction: (action: RunAction, run: RunSummary) => void;
};

/** One run in the timeline: number, status, branch, duration, cause; re-run and stop. */
export const RunCard = ({ run, execute, onAction }: RunCardProps) => (
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
        <DisabledTooltip
          title={execute.reason ?? "Run again with this run's configuration"}
        >
          <IconButton
            size="small"
            aria-label={`Re-run #${run.buildId}`}
            disabled={!execute.allowed}
            onClick={() => onAction('rerun', run)}
          >
            <ReplayIcon />
          </IconButton>
        </DisabledTooltip>
        {!isFinalStatus(run.status) && (
          <DisabledTooltip title={execute.reason ?? 'Stop this run'}>
            <IconButton
              size="small"
              aria-label={`Stop #${run.buildId}`}
              disabled={!execute.allowed}
              onClick={() => onAction('stop', run)}
            >
              <StopIcon />
            </IconButton>
          </DisabledTooltip>
        )}
      </Box>
      <Typography variant="body2" color="textSecondary">
        <RunCause run={run} />
      </Typography>
      <Typography variant="body2" color="textSecondary">
        {[
          run.branch && `Branch ${run.branch}`,
          formatDuration(run.durationMs),
          formatTime(run.startedAt ?? run.queuedAt),
        ]
          .filter(Boolean)
          .join(' · ')}
      </Typography>
    </CardContent>
  </Card>
);

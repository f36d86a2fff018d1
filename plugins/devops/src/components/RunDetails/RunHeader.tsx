import type { ReactNode } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import ReplayIcon from '@material-ui/icons/Replay';
import StopIcon from '@material-ui/icons/Stop';
import {
  isFinalStatus,
  type Run,
} from '@devops-pipelines/plugin-devops-common';
import { formatTime } from '../../lib/formatTime';
import type { ActionPermission } from '../../lib/usePipelinePermissions';
import { DisabledTooltip } from '../DisabledTooltip';
import { formatDuration, RunCause } from '../RunHistory';
import { RunStatus } from '../RunStatus';
import { liveDuration } from './runSteps';

export type RunHeaderProps = {
  run: Run;
  readAt: number;
  now: number;
  /** Whether the user may re-run and stop the run. */
  execute: ActionPermission;
  onRerun: () => void;
  onStop: () => void;
};

const Fact = ({ label, value }: { label: string; value: ReactNode }) => (
  <Box>
    <Typography variant="caption" color="textSecondary" display="block">
      {label}
    </Typography>
    <Typography variant="body2">{value}</Typography>
  </Box>
);

/** Run number, status, start, duration and cause; re-run and stop. */
export const RunHeader = ({
  run,
  readAt,
  now,
  execute,
  onRerun,
  onStop,
}: RunHeaderProps) => (
  <Box my={2}>
    <Box display="flex" alignItems="center" flexWrap="wrap" gridGap={16}>
      <Typography variant="h4" component="h1">
        Run #{run.buildId}
      </Typography>
      <span data-testid="run-status" data-status={run.status}>
        <RunStatus status={run.status} />
      </span>
      <Box flexGrow={1} />
      <DisabledTooltip title={execute.reason}>
        <Button
          variant="outlined"
          startIcon={<ReplayIcon />}
          disabled={!execute.allowed}
          onClick={onRerun}
        >
          Re-run
        </Button>
      </DisabledTooltip>
      {!isFinalStatus(run.status) && (
        <DisabledTooltip title={execute.reason}>
          <Button
            variant="outlined"
            startIcon={<StopIcon />}
            disabled={!execute.allowed}
            onClick={onStop}
          >
            Stop
          </Button>
        </DisabledTooltip>
      )}
    </Box>
    <Box display="flex" flexWrap="wrap" gridGap={32} mt={1}>
      <Fact
        label="Started"
        value={run.startedAt ? formatTime(run.startedAt) : 'Not yet'}
      />
      <Fact
        label="Duration"
        value={formatDuration(liveDuration(run, readAt, now))}
      />
      <Fact label="Cause" value={<RunCause run={run} />} />
      {run.branch && <Fact label="Branch" value={run.branch} />}
      {run.paramNames.length > 0 && (
        <Fact label="Parameters" value={run.paramNames.join(', ')} />
      )}
    </Box>
    {run.message && (
      <Typography
        variant="body2"
        color={run.status === 'succeeded' ? 'textSecondary' : 'error'}
      >
        {run.message}
      </Typography>
    )}
  </Box>
);

import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import SkipNextIcon from '@material-ui/icons/SkipNext';
import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { RunStatus as RunStatusValue } from '@devops-pipelines/plugin-devops-common';
import type { ComponentType, PropsWithChildren } from 'react';

const useStyles = makeStyles(theme => ({
  // As Backstage's status icons are laid out and coloured (core-components' Status).
  status: {
    fontWeight: theme.typography.fontWeightMedium as number,
    alignItems: 'baseline',
    display: 'flex',
  },
  icon: {
    flexShrink: 0,
    position: 'relative',
    top: '0.125em',
    marginRight: theme.spacing(1),
    width: '0.8em',
    height: '0.8em',
    fill: theme.palette.status.aborted,
  },
}));

/**
 * Skipped (never started, because an earlier task failed or the run was stopped) is not
 * Stopped (ended by a user): Backstage has no status for it, so it gets a skip icon in the
 * same grey, where Stopped has the aborted one.
 */
const StatusSkipped = ({ children }: PropsWithChildren<{}>) => {
  const classes = useStyles();
  return (
    <Typography component="span" className={classes.status}>
      <SkipNextIcon data-testid="status-skipped" className={classes.icon} />
      {children}
    </Typography>
  );
};

const presentation: Record<
  RunStatusValue,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  queued: { label: 'Queued', Icon: StatusPending },
  waiting: { label: 'Waiting for resources', Icon: StatusPending },
  running: { label: 'Running', Icon: StatusRunning },
  succeeded: { label: 'Succeeded', Icon: StatusOK },
  failed: { label: 'Failed', Icon: StatusError },
  stopped: { label: 'Stopped', Icon: StatusAborted },
  skipped: { label: 'Skipped', Icon: StatusSkipped },
  timedOut: { label: 'Timed out', Icon: StatusError },
};

/** A run, stage or task status as an icon and a word. */
export const RunStatus = (props: { status: RunStatusValue }) => {
  const { label, Icon } = presentation[props.status];
  return <Icon>{label}</Icon>;
};

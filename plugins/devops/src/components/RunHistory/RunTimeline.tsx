import Box from '@material-ui/core/Box';
import { makeStyles } from '@material-ui/core/styles';
import type { RunSummary } from '@devops-pipelines/plugin-devops-common';
import type { ActionPermission } from '../../lib/usePipelinePermissions';
import { RunCard } from './RunCard';
import type { RunAction } from './useRunActions';

const useStyles = makeStyles(theme => ({
  timeline: {
    borderLeft: `2px solid ${theme.palette.divider}`,
    marginLeft: theme.spacing(1),
    paddingLeft: theme.spacing(2),
  },
  item: {
    position: 'relative',
    marginBottom: theme.spacing(1.5),
    '&::before': {
      content: '""',
      position: 'absolute',
      left: theme.spacing(-2) - 7,
      top: theme.spacing(2.5),
      width: 12,
      height: 12,
      borderRadius: '50%',
      background: theme.palette.background.paper,
      border: `2px solid ${theme.palette.primary.main}`,
    },
  },
}));

export type RunTimelineProps = {
  runs: RunSummary[];
  /** Whether the user may re-run and stop the runs. */
  execute: ActionPermission;
  onAction: (action: RunAction, run: RunSummary) => void;
};

/** Runs as cards on a vertical line, newest on top. */
export const RunTimeline = ({ runs, execute, onAction }: RunTimelineProps) => {
  const classes = useStyles();
  return (
    <Box className={classes.timeline}>
      {runs.map(run => (
        <Box key={run.id} className={classes.item}>
          <RunCard run={run} execute={execute} onAction={onAction} />
        </Box>
      ))}
    </Box>
  );
};

import ListItem from '@material-ui/core/ListItem';
import ListItemSecondaryAction from '@material-ui/core/ListItemSecondaryAction';
import ListItemText from '@material-ui/core/ListItemText';
import { makeStyles } from '@material-ui/core/styles';
import { Link } from '@backstage/core-components';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useDevopsLinks } from '../../links';
import { LatestRunSummary } from './LatestRunSummary';
import { RunPipelineButton } from './RunPipelineButton';

const useStyles = makeStyles(theme => ({
  // Room for the Run button, which sits over the item's right edge.
  withRunButton: { paddingRight: theme.spacing(12) },
}));

export type PipelineLatestRunItemProps = {
  pipeline: Pipeline;
  /** After a run of the pipeline started. */
  onStarted: () => void;
};

/** One pipeline of the card: its name linking to its page, its latest run, and Run. */
export const PipelineLatestRunItem = ({
  pipeline,
  onStarted,
}: PipelineLatestRunItemProps) => {
  const classes = useStyles();
  const links = useDevopsLinks();
  return (
    <ListItem
      divider
      classes={{ secondaryAction: classes.withRunButton }}
      data-testid={`entity-pipeline-${pipeline.metadata.name}`}
    >
      <ListItemText
        primary={
          <Link to={links.pipeline(pipeline.status.id)}>
            {pipelineTitle(pipeline)}
          </Link>
        }
        secondary={<LatestRunSummary run={pipeline.status.lastRun} />}
        // The summary holds blocks (a line and a progress bar), which a <p> may not.
        secondaryTypographyProps={{ component: 'div' }}
      />
      <ListItemSecondaryAction>
        <RunPipelineButton pipeline={pipeline} onStarted={onStarted} />
      </ListItemSecondaryAction>
    </ListItem>
  );
};

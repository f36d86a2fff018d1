import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import ListSubheader from '@material-ui/core/ListSubheader';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { Run, TaskRun } from '@devops-pipelines/plugin-devops-common';
import { Fragment, type ReactNode } from 'react';
import { formatDuration } from '../RunHistory';
import { RunStatus } from '../RunStatus';
import { liveDuration, type StepTiming } from './runSteps';

const useStyles = makeStyles(theme => ({
  stage: {
    display: 'flex',
    justifyContent: 'space-between',
    gap: theme.spacing(1),
    lineHeight: `${theme.spacing(4)}px`,
  },
  task: { paddingLeft: theme.spacing(4) },
  status: { display: 'flex', gap: theme.spacing(1), alignItems: 'center' },
}));

/** Why a task failed: the engine's message, which names the exit code, or the code. */
const taskProblem = (task: TaskRun) =>
  task.message ??
  (task.exitCode ? `Exited with code ${task.exitCode}` : undefined);

export type RunStepsProps = {
  run: Run;
  readAt: number;
  now: number;
  selected: string;
  onSelect: (step: string) => void;
};

/** The set-up steps, then every stage with its tasks; each with status and duration. */
export const RunSteps = ({
  run,
  readAt,
  now,
  selected,
  onSelect,
}: RunStepsProps) => {
  const classes = useStyles();
  const timing = (step: StepTiming) => (
    <span className={classes.status}>
      <RunStatus status={step.status} />
      <span>· {formatDuration(liveDuration(step, readAt, now))}</span>
    </span>
  );
  const step = (
    key: string,
    testId: string,
    primary: ReactNode,
    stepTiming: StepTiming,
    detail?: string,
    className?: string,
  ) => (
    <ListItem
      key={key}
      button
      className={className}
      selected={selected === key}
      aria-current={selected === key ? 'step' : undefined}
      onClick={() => onSelect(key)}
      data-testid={testId}
      data-status={stepTiming.status}
    >
      <ListItemText
        primary={primary}
        secondary={
          <>
            {timing(stepTiming)}
            {detail && (
              <Typography
                variant="caption"
                color="error"
                component="span"
                display="block"
              >
                {detail}
              </Typography>
            )}
          </>
        }
        secondaryTypographyProps={{ component: 'div' }}
      />
    </ListItem>
  );

  return (
    <List dense aria-label="Steps">
      {run.setup.map(setupStep =>
        step(
          setupStep.step,
          `run-step-${setupStep.step}`,
          setupStep.name,
          setupStep,
          setupStep.message,
        ),
      )}
      {run.stages.map((stage, stageIndex) => (
        <Fragment key={stageIndex}>
          <ListSubheader
            disableSticky
            className={classes.stage}
            data-testid={`run-stage-${stageIndex}`}
            data-status={stage.status}
          >
            <span>
              {stage.name}
              {stage.order === 'parallel' ? ' (parallel)' : ''}
            </span>
            {timing(stage)}
          </ListSubheader>
          {stage.tasks.map((task, taskIndex) =>
            step(
              task.id,
              `run-task-${stageIndex}-${taskIndex}`,
              task.name,
              task,
              taskProblem(task),
              classes.task,
            ),
          )}
        </Fragment>
      ))}
    </List>
  );
};

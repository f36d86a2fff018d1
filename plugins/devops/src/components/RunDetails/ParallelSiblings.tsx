import Link from '@material-ui/core/Link';
import Typography from '@material-ui/core/Typography';
import type { Run, TaskRun } from '@devops-pipelines/plugin-devops-common';
import { Fragment } from 'react';

/**
 * Under the log of a task of a parallel stage: which tasks ran beside it, each with a
 * log of its own, so a sibling's output is not taken for missing.
 */
export const ParallelSiblings = ({
  run,
  task,
  onSelect,
}: {
  run: Run;
  task: TaskRun;
  onSelect: (taskId: string) => void;
}) => {
  const stage = run.stages.find(s => s.tasks.some(t => t.id === task.id));
  const siblings = stage?.tasks.filter(t => t.id !== task.id) ?? [];
  if (!stage || stage.order !== 'parallel' || siblings.length === 0) {
    return null;
  }
  return (
    <Typography variant="body2" color="textSecondary">
      This is {task.name}'s log. Beside it in stage {stage.name} ran{' '}
      {siblings.map((sibling, index) => (
        <Fragment key={sibling.id}>
          {index > 0 && (index === siblings.length - 1 ? ' and ' : ', ')}
          <Link component="button" onClick={() => onSelect(sibling.id)}>
            {sibling.name}
          </Link>
        </Fragment>
      ))}
      , each with a log of its own.
    </Typography>
  );
};

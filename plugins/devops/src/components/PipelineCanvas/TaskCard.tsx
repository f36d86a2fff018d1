import { makeStyles } from '@material-ui/core/styles';
import type { Task, TaskRun } from '@devops-pipelines/plugin-devops-common';
import { memo, type DragEvent } from 'react';
import { activateOnKey } from './activateOnKey';
import { useCanvasEditor } from './CanvasEditorContext';
import { formatDuration } from './formatDuration';
import { SIZES } from './layout';
import { STATUS_COLORS, STATUS_LABELS } from './runStatus';
import { useTaskTypeTitle } from './taskTypeTitles';
import { clickableArea } from './nodeStyles';

/**
 * Called once per column, which hands the classes to its cards: a style hook in each of
 * 600 cards costs more than the rest of the card.
 */
export const useTaskCardStyles = makeStyles(theme => ({
  card: {
    position: 'relative',
    display: 'flex',
    alignItems: 'center',
    boxSizing: 'border-box',
    height: SIZES.taskHeight,
    marginBottom: SIZES.taskGap,
    border: `1px solid ${theme.palette.divider}`,
    borderLeftWidth: 4,
    borderRadius: 4,
    background: theme.palette.background.paper,
    '&[draggable="true"]': { cursor: 'grab' },
  },
  invalid: { borderColor: theme.palette.error.main },
  dragged: { opacity: 0.4 },
  dropBefore: {
    boxShadow: `0 -${SIZES.taskGap / 2 + 1}px 0 -1px ${
      theme.palette.primary.main
    }`,
  },
  dropAfter: {
    boxShadow: `0 ${SIZES.taskGap / 2 + 1}px 0 -1px ${
      theme.palette.primary.main
    }`,
  },
  main: clickableArea(theme),
  line: {
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  },
  name: { fontWeight: 500, fontSize: '0.875rem' },
  detail: { fontSize: '0.75rem', color: theme.palette.text.secondary },
  problem: { fontSize: '0.75rem', color: theme.palette.error.main },
  more: {
    alignSelf: 'stretch',
    border: 'none',
    background: 'none',
    color: theme.palette.text.secondary,
    cursor: 'pointer',
    padding: theme.spacing(0, 0.5),
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  moreIcon: { width: 20, height: 20, fill: 'currentColor' },
}));

export type TaskCardClasses = ReturnType<typeof useTaskCardStyles>;

export type TaskCardProps = {
  classes: TaskCardClasses;
  task: Task;
  stageIndex: number;
  taskIndex: number;
  editable: boolean;
  taskRun?: TaskRun;
  problems?: string[];
  dragged: boolean;
  /** Where the drop marker shows, while a task of this stage is dragged over it. */
  dropMark?: 'before' | 'after';
};

const TASK_MIME = 'application/x-devops-task';

/** One task: its name and type, its run status in a run, its problems in the editor. */
export const TaskCard = memo(function TaskCardView(props: TaskCardProps) {
  const { classes, task, stageIndex, taskIndex, editable, taskRun, problems } =
    props;
  const canvas = useCanvasEditor();
  const typeTitle = useTaskTypeTitle(task.type);
  const at = { stage: stageIndex, task: taskIndex };

  const onDragStart = (event: DragEvent) => {
    event.stopPropagation();
    // Firefox starts a drag only when it carries data.
    event.dataTransfer?.setData(TASK_MIME, `${stageIndex}:${taskIndex}`);
    if (event.dataTransfer) event.dataTransfer.effectAllowed = 'move';
    canvas?.dragStore.set({ kind: 'task', from: at });
  };

  let detail = typeTitle;
  if (taskRun) {
    detail = STATUS_LABELS[taskRun.status];
    if (taskRun.durationMs !== undefined) {
      detail += ` · ${formatDuration(taskRun.durationMs)}`;
    }
  }
  const content = (
    <>
      <span className={`${classes.line} ${classes.name}`}>{task.name}</span>
      {problems?.length ? (
        <span
          className={`${classes.line} ${classes.problem}`}
          title={problems.join('\n')}
        >
          {problems[0]}
        </span>
      ) : (
        <span className={`${classes.line} ${classes.detail}`}>{detail}</span>
      )}
    </>
  );

  const className = [
    classes.card,
    problems?.length ? classes.invalid : '',
    props.dragged ? classes.dragged : '',
    props.dropMark === 'before' ? classes.dropBefore : '',
    props.dropMark === 'after' ? classes.dropAfter : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <li
      className={className}
      data-testid={`task-${stageIndex}-${taskIndex}`}
      data-task-index={taskIndex}
      data-status={taskRun?.status}
      style={
        taskRun ? { borderLeftColor: STATUS_COLORS[taskRun.status] } : undefined
      }
      title={taskRun?.message}
      draggable={editable}
      onDragStart={editable ? onDragStart : undefined}
      onDragEnd={editable ? () => canvas?.dragStore.set(undefined) : undefined}
    >
      {editable && canvas ? (
        <>
          <div
            role="button"
            tabIndex={0}
            aria-label={`Edit task ${task.name}`}
            className={classes.main}
            onClick={() => canvas.editor.onEditTask(at)}
            onKeyDown={activateOnKey(() => canvas.editor.onEditTask(at))}
          >
            {content}
          </div>
          <button
            type="button"
            className={classes.more}
            aria-label={`Actions for task ${task.name}`}
            aria-haspopup="menu"
            onClick={event =>
              canvas.openMenu(event.currentTarget, { kind: 'task', at })
            }
          >
            {/* Material's "more vert" icon as plain SVG: lighter than 600 SvgIcons. */}
            <svg className={classes.moreIcon} viewBox="0 0 24 24" aria-hidden>
              <path d="M12 8c1.1 0 2-.9 2-2s-.9-2-2-2-2 .9-2 2 .9 2 2 2zm0 2c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2zm0 6c-1.1 0-2 .9-2 2s.9 2 2 2 2-.9 2-2-.9-2-2-2z" />
            </svg>
          </button>
        </>
      ) : (
        <div className={classes.main}>{content}</div>
      )}
    </li>
  );
});

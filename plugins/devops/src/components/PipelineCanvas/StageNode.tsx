import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import { memo } from 'react';
import { Handle, Position, type NodeProps } from 'reactflow';
import { activateOnKey } from './activateOnKey';
import { useCanvasEditor } from './CanvasEditorContext';
import { useStageDragView } from './dragStore';
import { EDGE_Y, SIZES, type StageNodeData } from './layout';
import { STATUS_COLORS, STATUS_LABELS, taskRunFor } from './runStatus';
import { TaskCard, useTaskCardStyles } from './TaskCard';
import { clickableArea, useNodeStyles } from './nodeStyles';
import { useStageDragHandlers } from './useStageDragHandlers';

const useStyles = makeStyles(theme => ({
  header: {
    display: 'flex',
    alignItems: 'center',
    height: SIZES.headerHeight,
    boxSizing: 'border-box',
    borderBottom: `1px solid ${theme.palette.divider}`,
    marginBottom: SIZES.padding,
    borderTopLeftRadius: 6,
    borderTopRightRadius: 6,
    borderTop: '4px solid transparent',
    '&[draggable="true"]': { cursor: 'grab' },
  },
  title: clickableArea(theme),
  name: {
    fontWeight: 600,
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
  },
  detail: { fontSize: '0.75rem', color: theme.palette.text.secondary },
  tasks: { listStyle: 'none', margin: 0, padding: theme.spacing(0, 1) },
  empty: {
    boxSizing: 'border-box',
    height: SIZES.taskHeight,
    marginBottom: SIZES.taskGap,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    textAlign: 'center',
    padding: theme.spacing(0, 1),
    border: `1px dashed ${theme.palette.warning.main}`,
    borderRadius: 4,
    fontSize: '0.75rem',
    color: theme.palette.text.secondary,
  },
  dropAtEnd: { borderColor: theme.palette.primary.main },
  addTask: {
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    width: `calc(100% - ${theme.spacing(2)}px)`,
    height: SIZES.addTaskHeight - SIZES.taskGap,
    margin: theme.spacing(0, 1),
    border: `1px dashed ${theme.palette.divider}`,
    borderRadius: 4,
    background: 'none',
    color: theme.palette.primary.main,
    font: 'inherit',
    fontSize: '0.8125rem',
    cursor: 'pointer',
    '&:hover, &:focus-visible': { borderColor: theme.palette.primary.main },
  },
  refusal: {
    position: 'absolute',
    inset: 0,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: theme.spacing(2),
    textAlign: 'center',
    borderRadius: 6,
    background: 'rgba(211, 47, 47, 0.12)',
    color: theme.palette.error.main,
    fontWeight: 600,
    // The column underneath keeps receiving the drag events.
    pointerEvents: 'none',
  },
}));

/** A stage: its name and order, its tasks top to bottom, and the "+" buttons. */
export const StageNode = memo(
  function StageColumn({ data }: NodeProps<StageNodeData>) {
    const { stage, index, editable, stageRun, problems } = data;
    const classes = useStyles();
    const nodeClasses = useNodeStyles();
    const cardClasses = useTaskCardStyles();
    const canvas = useCanvasEditor();
    const drag = useStageDragView(canvas?.dragStore, index);
    const messages = problems?.messages ?? [];

    const dnd = useStageDragHandlers(stage, index);

    const invalid =
      messages.length > 0 || Object.keys(problems?.tasks ?? {}).length > 0;
    const columnClass = [
      nodeClasses.card,
      invalid ? nodeClasses.invalid : '',
      drag.dragged ? nodeClasses.dragged : '',
      drag.stageDrop === 'before' ? nodeClasses.dropBefore : '',
      drag.stageDrop === 'after' ? nodeClasses.dropAfter : '',
    ]
      .filter(Boolean)
      .join(' ');
    const orderLabel = stage.order === 'parallel' ? 'Parallel' : 'Sequential';
    const dropAtEnd = drag.taskDropBefore === stage.tasks.length;

    return (
      <div
        className={columnClass}
        data-testid={`stage-${index}`}
        data-status={stageRun?.status}
        role="group"
        aria-label={`Stage ${stage.name}`}
        onDragOver={editable ? dnd.onDragOver : undefined}
        onDrop={editable ? dnd.onDrop : undefined}
      >
        <Handle
          type="target"
          position={Position.Left}
          isConnectable={false}
          className={nodeClasses.handle}
          style={{ top: EDGE_Y }}
        />
        <div
          className={classes.header}
          style={
            stageRun
              ? { borderTopColor: STATUS_COLORS[stageRun.status] }
              : undefined
          }
          data-stage-header
          draggable={editable}
          onDragStart={editable ? dnd.onDragStart : undefined}
          onDragEnd={editable ? dnd.onDragEnd : undefined}
        >
          <div
            className={classes.title}
            {...(editable && canvas
              ? {
                  role: 'button',
                  tabIndex: 0,
                  'aria-label': `Edit stage ${stage.name}`,
                  onClick: () => canvas.editor.onEditStage(index),
                  onKeyDown: activateOnKey(() =>
                    canvas.editor.onEditStage(index),
                  ),
                }
              : {})}
          >
            <span className={classes.name}>{stage.name}</span>
            <span className={classes.detail}>
              {stageRun
                ? `${
                    STATUS_LABELS[stageRun.status]
                  } · ${orderLabel.toLowerCase()}`
                : orderLabel}
            </span>
          </div>
          {editable && canvas && (
            <button
              type="button"
              className={nodeClasses.iconButton}
              aria-label={`Actions for stage ${stage.name}`}
              aria-haspopup="menu"
              onClick={event =>
                canvas.openMenu(event.currentTarget, { kind: 'stage', index })
              }
            >
              <MoreVertIcon fontSize="small" />
            </button>
          )}
        </div>
        {messages.map(message => (
          <div key={message} className={nodeClasses.problem} title={message}>
            {message}
          </div>
        ))}
        <ol className={classes.tasks}>
          {stage.tasks.map((task, taskIndex) => {
            let dropMark: 'before' | 'after' | undefined;
            if (drag.taskDropBefore === taskIndex) dropMark = 'before';
            else if (dropAtEnd && taskIndex === stage.tasks.length - 1) {
              dropMark = 'after';
            }
            return (
              <TaskCard
                key={taskIndex}
                classes={cardClasses}
                task={task}
                stageIndex={index}
                taskIndex={taskIndex}
                editable={editable}
                taskRun={taskRunFor(stageRun, task.name)}
                problems={problems?.tasks[taskIndex]}
                dragged={drag.draggedTask === taskIndex}
                dropMark={dropMark}
              />
            );
          })}
          {stage.tasks.length === 0 && (
            <li className={classes.empty}>
              {editable
                ? 'No tasks yet: a stage needs at least one task'
                : 'No tasks'}
            </li>
          )}
        </ol>
        {editable && canvas && (
          <button
            type="button"
            className={classes.addTask}
            aria-label={`Add task to ${stage.name}`}
            onClick={() => canvas.editor.onAddTask(index)}
          >
            <AddIcon fontSize="small" /> Add task
          </button>
        )}
        {editable && canvas && (
          <button
            type="button"
            className={nodeClasses.addStage}
            aria-label={`Add stage after ${stage.name}`}
            title="Add stage"
            onClick={() => canvas.editor.onAddStage(index)}
          >
            <AddIcon fontSize="small" />
          </button>
        )}
        {drag.refusesTask && (
          <div className={classes.refusal} role="status">
            Tasks stay in their own stage: drop it back in its stage
          </div>
        )}
        <Handle
          type="source"
          position={Position.Right}
          isConnectable={false}
          className={nodeClasses.handle}
          style={{ top: EDGE_Y }}
        />
      </div>
    );
  },
  // Only the data decides what a column shows; React Flow's other props (its position
  // while the view pans) do not.
  (previous, next) => previous.data === next.data,
);

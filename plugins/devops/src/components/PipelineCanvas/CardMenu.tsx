import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import type { MenuTarget } from './CanvasEditorContext';
import type { PipelineCanvasEditor } from './types';

type Item = { label: string; disabled?: boolean; action: () => void };

function stageItems(
  editor: PipelineCanvasEditor,
  spec: PipelineSpec,
  index: number,
): Item[] {
  return [
    { label: 'Copy stage', action: () => editor.onCopyStage(index) },
    {
      label: 'Move stage left',
      disabled: index === 0,
      action: () => editor.onMoveStage(index, index - 1),
    },
    {
      label: 'Move stage right',
      disabled: index === spec.stages.length - 1,
      action: () => editor.onMoveStage(index, index + 1),
    },
    { label: 'Delete stage', action: () => editor.onDeleteStage(index) },
  ];
}

function taskItems(
  editor: PipelineCanvasEditor,
  spec: PipelineSpec,
  at: { stage: number; task: number },
): Item[] {
  const count = spec.stages[at.stage]?.tasks.length ?? 0;
  return [
    { label: 'Edit task', action: () => editor.onEditTask(at) },
    { label: 'Copy task', action: () => editor.onCopyTask(at) },
    {
      label: 'Move task up',
      disabled: at.task === 0,
      action: () => editor.onMoveTask(at, { ...at, task: at.task - 1 }),
    },
    {
      label: 'Move task down',
      disabled: at.task === count - 1,
      action: () => editor.onMoveTask(at, { ...at, task: at.task + 1 }),
    },
    { label: 'Delete task', action: () => editor.onDeleteTask(at) },
  ];
}

export type CardMenuProps = {
  anchor: HTMLElement;
  target: MenuTarget;
  editor: PipelineCanvasEditor;
  spec: PipelineSpec;
  onClose: () => void;
};

/**
 * The actions of one card, and the keyboard's way to reorder: one menu for the whole
 * canvas, rather than one per card, keeps a 600-task pipeline light.
 */
export const CardMenu = ({
  anchor,
  target,
  editor,
  spec,
  onClose,
}: CardMenuProps) => {
  const items =
    target.kind === 'stage'
      ? stageItems(editor, spec, target.index)
      : taskItems(editor, spec, target.at);
  return (
    <Menu anchorEl={anchor} open onClose={onClose}>
      {items.map(item => (
        <MenuItem
          key={item.label}
          disabled={item.disabled}
          onClick={() => {
            onClose();
            item.action();
          }}
        >
          {item.label}
        </MenuItem>
      ))}
    </Menu>
  );
};

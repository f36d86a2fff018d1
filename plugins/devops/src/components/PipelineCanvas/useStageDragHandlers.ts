import type { Stage } from '@devops-pipelines/plugin-devops-common';
import type { DragEvent } from 'react';
import { useCanvasEditor } from './CanvasEditorContext';
import { indexAfterMove } from './dragStore';

/**
 * HTML drag and drop on one stage column: its header drags the stage, and the column
 * takes dropped stages (left or right of it) and tasks (between its cards). A task of
 * another stage may be dropped too: the editor then refuses it and says why.
 */
export function useStageDragHandlers(stage: Stage, index: number) {
  const canvas = useCanvasEditor();

  /** The slot the pointer is over: before which task a dropped task would go. */
  const taskSlot = (event: DragEvent) => {
    const target = event.target as Element;
    if (target.closest('[data-stage-header]')) return 0;
    const card = target.closest<HTMLElement>('[data-task-index]');
    if (!card) return stage.tasks.length;
    const slot = Number(card.dataset.taskIndex);
    const rect = card.getBoundingClientRect();
    return event.clientY < rect.top + rect.height / 2 ? slot : slot + 1;
  };

  const onDragOver = (event: DragEvent) => {
    const current = canvas?.dragStore.get();
    if (!canvas || !current) return;
    event.preventDefault();
    if (current.kind === 'stage') {
      const rect = event.currentTarget.getBoundingClientRect();
      const before =
        event.clientX < rect.left + rect.width / 2 ? index : index + 1;
      if (current.before !== before) {
        canvas.dragStore.set({ ...current, before });
      }
    } else {
      const before = taskSlot(event);
      const over = current.over;
      if (over?.stage !== index || over.before !== before) {
        canvas.dragStore.set({ ...current, over: { stage: index, before } });
      }
    }
  };

  const onDrop = (event: DragEvent) => {
    const current = canvas?.dragStore.get();
    if (!canvas || !current) return;
    event.preventDefault();
    canvas.dragStore.set(undefined);
    if (current.kind === 'stage') {
      const to = indexAfterMove(current.from, current.before ?? index);
      if (to !== current.from) canvas.editor.onMoveStage(current.from, to);
      return;
    }
    const before = taskSlot(event);
    const { from } = current;
    const to = {
      stage: index,
      task: from.stage === index ? indexAfterMove(from.task, before) : before,
    };
    if (to.stage !== from.stage || to.task !== from.task) {
      canvas.editor.onMoveTask(from, to);
    }
  };

  const onDragStart = (event: DragEvent) => {
    // Firefox starts a drag only when it carries data.
    event.dataTransfer?.setData('application/x-devops-stage', String(index));
    if (event.dataTransfer) {
      event.dataTransfer.effectAllowed = 'move';
      // Drag the picture of the whole column, not just of its header.
      const column = event.currentTarget.parentElement;
      if (column) event.dataTransfer.setDragImage(column, 20, 20);
    }
    canvas?.dragStore.set({ kind: 'stage', from: index });
  };

  const onDragEnd = () => canvas?.dragStore.set(undefined);

  return { onDragOver, onDrop, onDragStart, onDragEnd };
}

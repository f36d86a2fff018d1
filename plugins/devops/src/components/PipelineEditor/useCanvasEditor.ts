import { useMemo, type Dispatch } from 'react';
import type { PipelineCanvasEditor } from '../PipelineCanvas';
import type { OpenDialog } from './dialogs/EditorDialogs';
import type { EditorAction } from './state/editorState';

/**
 * The canvas's requests as editor actions: adding and editing open a dialog, the rest
 * is one step of history. Stable for the editor's lifetime, so the memoised cards of
 * the canvas never re-render because of it.
 */
export function useCanvasEditor(
  dispatch: Dispatch<EditorAction>,
  open: (dialog: OpenDialog) => void,
): PipelineCanvasEditor {
  return useMemo(
    () => ({
      onEditSource: () => open({ kind: 'source' }),
      onRemoveSource: () => dispatch({ type: 'setSource', source: undefined }),
      onAddStage: after => open({ kind: 'addStage', after }),
      onEditStage: index => open({ kind: 'editStage', index }),
      onCopyStage: index => dispatch({ type: 'copyStage', index }),
      onDeleteStage: index => dispatch({ type: 'deleteStage', index }),
      onMoveStage: (from, to) => dispatch({ type: 'moveStage', from, to }),
      onAddTask: stage => open({ kind: 'addTask', stage }),
      onEditTask: at => open({ kind: 'editTask', at }),
      onCopyTask: at => dispatch({ type: 'copyTask', at }),
      onDeleteTask: at => dispatch({ type: 'deleteTask', at }),
      onMoveTask: (from, to) => dispatch({ type: 'moveTask', from, to }),
    }),
    [dispatch, open],
  );
}

import { createContext, useContext } from 'react';
import type { DragStore } from './dragStore';
import type { PipelineCanvasEditor, TaskPosition } from './types';

/** The card whose actions menu is open. */
export type MenuTarget =
  | { kind: 'stage'; index: number }
  | { kind: 'task'; at: TaskPosition };

/**
 * How cards reach the editor. Passed by context rather than in node data so that node
 * data holds only what a card shows, and unchanged cards are skipped on re-render.
 */
export type CanvasEditorContextValue = {
  editor: PipelineCanvasEditor;
  dragStore: DragStore;
  openMenu(anchor: HTMLElement, target: MenuTarget): void;
};

export const CanvasEditorContext = createContext<
  CanvasEditorContextValue | undefined
>(undefined);

/** The editor, in an editable canvas; undefined in a read-only one. */
export const useCanvasEditor = () => useContext(CanvasEditorContext);

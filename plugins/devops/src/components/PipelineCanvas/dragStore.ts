import { useCallback, useRef, useSyncExternalStore } from 'react';
import type { TaskPosition } from './types';

/** What is being dragged, and where it would land if dropped now. */
export type DragState =
  | {
      kind: 'stage';
      from: number;
      /** The stage would be inserted before the stage at this index. */
      before?: number;
    }
  | {
      kind: 'task';
      from: TaskPosition;
      over?: { stage: number; before: number };
    };

/**
 * Drag state lives outside React state: a drag changes it at every new slot, and only
 * the columns concerned should re-render, not all thirty.
 */
export type DragStore = {
  get(): DragState | undefined;
  set(next: DragState | undefined): void;
  subscribe(listener: () => void): () => void;
};

export function createDragStore(): DragStore {
  let state: DragState | undefined;
  const listeners = new Set<() => void>();
  return {
    get: () => state,
    set(next) {
      state = next;
      listeners.forEach(listener => listener());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** What one stage column shows of the current drag. */
export type StageDragView = {
  /** This column is being dragged. */
  dragged: boolean;
  /** A dragged stage would land on this side of this column. */
  stageDrop?: 'before' | 'after';
  /** The task of this stage that is being dragged. */
  draggedTask?: number;
  /** A task of this stage would be inserted before this index. */
  taskDropBefore?: number;
  /** A task of another stage is over this column: dropping it is refused. */
  refusesTask: boolean;
};

export function stageDragView(
  drag: DragState | undefined,
  index: number,
): StageDragView {
  if (drag?.kind === 'stage') {
    let stageDrop: StageDragView['stageDrop'];
    if (drag.before === index) stageDrop = 'before';
    else if (drag.before === index + 1) stageDrop = 'after';
    return { dragged: drag.from === index, stageDrop, refusesTask: false };
  }
  if (drag?.kind === 'task') {
    const own = drag.from.stage === index;
    const over = drag.over?.stage === index;
    return {
      dragged: false,
      draggedTask: own ? drag.from.task : undefined,
      taskDropBefore: own && over ? drag.over!.before : undefined,
      refusesTask: over && !own,
    };
  }
  return { dragged: false, refusesTask: false };
}

const sameView = (a: StageDragView, b: StageDragView) =>
  a.dragged === b.dragged &&
  a.stageDrop === b.stageDrop &&
  a.draggedTask === b.draggedTask &&
  a.taskDropBefore === b.taskDropBefore &&
  a.refusesTask === b.refusesTask;

const IDLE: StageDragView = { dragged: false, refusesTask: false };

/** The drag as one column sees it; re-renders the column only when that changes. */
export function useStageDragView(
  store: DragStore | undefined,
  index: number,
): StageDragView {
  const last = useRef(IDLE);
  const getSnapshot = useCallback(() => {
    const next = stageDragView(store?.get(), index);
    if (!sameView(next, last.current)) last.current = next;
    return last.current;
  }, [store, index]);
  const subscribe = useCallback(
    (listener: () => void) => store?.subscribe(listener) ?? (() => {}),
    [store],
  );
  return useSyncExternalStore(subscribe, getSnapshot);
}

/** Where a dragged item that started at `from` ends up when inserted before `before`. */
export const indexAfterMove = (from: number, before: number) =>
  before > from ? before - 1 : before;

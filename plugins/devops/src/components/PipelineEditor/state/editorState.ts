import type {
  PipelineParameter,
  PipelineSource,
  PipelineSpec,
  Stage,
  Task,
} from '@devops-pipelines/plugin-devops-common';
import type { TaskPosition } from '../../PipelineCanvas';
import { slugFromTitle } from './slug';

/** What the editor edits: the parts of a pipeline document a person changes here. */
export type PipelineDraft = {
  /** The display name, any text: `metadata.title`. */
  title: string;
  /** The slug: `metadata.name`. */
  name: string;
  entityRef: string;
  spec: PipelineSpec;
};

/** Fields typed into one keystroke at a time; a run of typing is one undo step. */
type TypedField = 'title' | 'name' | 'entityRef';

export type EditorAction =
  | { type: 'load'; draft: PipelineDraft; nameFollowsTitle: boolean }
  | { type: 'setTitle'; title: string }
  | { type: 'setName'; name: string }
  | { type: 'setEntityRef'; entityRef: string }
  | { type: 'setSource'; source: PipelineSource | undefined }
  | { type: 'setParameters'; parameters: PipelineParameter[] }
  /** `after: -1` puts the stage first, right after the Source card. */
  | { type: 'addStage'; after: number; stage: Stage }
  | { type: 'updateStage'; index: number; name: string; order: Stage['order'] }
  | { type: 'copyStage'; index: number }
  | { type: 'deleteStage'; index: number }
  /** `to` is the index the stage has once moved. */
  | { type: 'moveStage'; from: number; to: number }
  | { type: 'addTask'; stage: number; task: Task }
  | { type: 'updateTask'; at: TaskPosition; task: Task }
  | { type: 'copyTask'; at: TaskPosition }
  | { type: 'deleteTask'; at: TaskPosition }
  /** `to.task` is the index the task has once moved. */
  | { type: 'moveTask'; from: TaskPosition; to: TaskPosition }
  | { type: 'undo' }
  | { type: 'redo' }
  /** Back to the draft the editor opened with; itself a step that can be undone. */
  | { type: 'reset' }
  /** The draft was stored: it becomes the state that "reset" and "unsaved" refer to. */
  | { type: 'saved' }
  | { type: 'dismissNotice' };

export type EditorState = {
  /** The draft the editor opened with (or last saved). */
  initial: PipelineDraft;
  past: PipelineDraft[];
  present: PipelineDraft;
  future: PipelineDraft[];
  typing?: TypedField;
  /** New pipelines derive the slug from the title until the slug is edited by hand. */
  nameFollowsTitle: boolean;
  /** Why the last operation was refused, for the person who tried it. */
  notice?: string;
};

/** Enough to undo a long session; older steps are dropped. */
export const HISTORY_LIMIT = 200;

export function createEditorState(
  draft: PipelineDraft,
  nameFollowsTitle: boolean,
): EditorState {
  return {
    initial: draft,
    past: [],
    present: draft,
    future: [],
    nameFollowsTitle,
  };
}

/**
 * Drafts are never mutated, so "unsaved" is a reference comparison: undoing back to the
 * opening state makes the editor clean again, at no cost for a pipeline of 600 tasks.
 */
export const isDirty = (state: EditorState) => state.present !== state.initial;
export const canUndo = (state: EditorState) => state.past.length > 0;
export const canRedo = (state: EditorState) => state.future.length > 0;

function commit(
  state: EditorState,
  present: PipelineDraft,
  typing?: TypedField,
): EditorState {
  if (present === state.present) return state;
  const base = { ...state, present, future: [], typing, notice: undefined };
  if (typing && state.typing === typing) return base;
  return {
    ...base,
    past: [...state.past, state.present].slice(-HISTORY_LIMIT),
  };
}

const refuse = (state: EditorState, notice: string): EditorState => ({
  ...state,
  notice,
});

function withStages(draft: PipelineDraft, stages: Stage[]): PipelineDraft {
  return { ...draft, spec: { ...draft.spec, stages } };
}

function replaceAt<T>(list: readonly T[], index: number, item: T): T[] {
  const copy = [...list];
  copy[index] = item;
  return copy;
}

function insertAt<T>(list: readonly T[], index: number, item: T): T[] {
  return [...list.slice(0, index), item, ...list.slice(index)];
}

function removeAt<T>(list: readonly T[], index: number): T[] {
  return [...list.slice(0, index), ...list.slice(index + 1)];
}

function move<T>(list: readonly T[], from: number, to: number): T[] {
  return insertAt(removeAt(list, from), to, list[from]);
}

const inRange = (list: readonly unknown[], index: number) =>
  Number.isInteger(index) && index >= 0 && index < list.length;

/** "Build (copy)", then "Build (copy 2)"...: task names must differ within a stage. */
export function copyName(name: string, taken: readonly string[]): string {
  let candidate = `${name} (copy)`;
  for (let n = 2; taken.includes(candidate); n++) {
    candidate = `${name} (copy ${n})`;
  }
  return candidate;
}

function editStage(
  state: EditorState,
  index: number,
  change: (stage: Stage) => Stage,
): EditorState {
  const { stages } = state.present.spec;
  if (!inRange(stages, index)) return state;
  return commit(
    state,
    withStages(state.present, replaceAt(stages, index, change(stages[index]))),
  );
}

function taskAt(state: EditorState, at: TaskPosition): Task | undefined {
  const stage = state.present.spec.stages[at.stage];
  return stage && inRange(stage.tasks, at.task)
    ? stage.tasks[at.task]
    : undefined;
}

function setTitle(state: EditorState, title: string): EditorState {
  const { present } = state;
  const follows =
    state.nameFollowsTitle &&
    (present.name === '' || present.name === slugFromTitle(present.title));
  const name = follows ? slugFromTitle(title) : present.name;
  return commit(state, { ...present, title, name }, 'title');
}

function moveTask(
  state: EditorState,
  from: TaskPosition,
  to: TaskPosition,
): EditorState {
  const task = taskAt(state, from);
  if (!task) return state;
  const stage = state.present.spec.stages[from.stage];
  if (to.stage !== from.stage) {
    return refuse(
      state,
      `Task "${task.name}" stays in stage "${stage.name}": tasks are reordered only within their stage.`,
    );
  }
  if (!inRange(stage.tasks, to.task) || to.task === from.task) return state;
  return editStage(state, from.stage, s => ({
    ...s,
    tasks: move(s.tasks, from.task, to.task),
  }));
}

function history(state: EditorState, action: EditorAction): EditorState {
  switch (action.type) {
    case 'undo': {
      if (!canUndo(state)) return state;
      return {
        ...state,
        past: state.past.slice(0, -1),
        present: state.past[state.past.length - 1],
        future: [state.present, ...state.future],
        typing: undefined,
        notice: undefined,
      };
    }
    case 'redo': {
      if (!canRedo(state)) return state;
      return {
        ...state,
        past: [...state.past, state.present],
        present: state.future[0],
        future: state.future.slice(1),
        typing: undefined,
        notice: undefined,
      };
    }
    case 'reset':
      return commit(state, state.initial);
    case 'saved':
      return { ...state, initial: state.present, typing: undefined };
    case 'dismissNotice':
      return { ...state, notice: undefined };
    default:
      return state;
  }
}

/** Every edit of the canvas editor, as a pure function with undo history. */
export function editorReducer(
  state: EditorState,
  action: EditorAction,
): EditorState {
  const { present } = state;
  const { stages } = present.spec;
  switch (action.type) {
    case 'load':
      return createEditorState(action.draft, action.nameFollowsTitle);
    case 'setTitle':
      return setTitle(state, action.title);
    case 'setName':
      return commit(state, { ...present, name: action.name }, 'name');
    case 'setEntityRef':
      return commit(
        state,
        { ...present, entityRef: action.entityRef },
        'entityRef',
      );
    case 'setSource': {
      const { source: _previous, ...rest } = present.spec;
      const spec = action.source ? { ...rest, source: action.source } : rest;
      return commit(state, { ...present, spec });
    }
    case 'setParameters': {
      const { parameters: _previous, ...rest } = present.spec;
      const spec = action.parameters.length
        ? { ...rest, parameters: action.parameters }
        : rest;
      return commit(state, { ...present, spec });
    }
    case 'addStage': {
      if (action.after < -1 || action.after >= stages.length) return state;
      return commit(
        state,
        withStages(present, insertAt(stages, action.after + 1, action.stage)),
      );
    }
    case 'updateStage':
      return editStage(state, action.index, stage => ({
        ...stage,
        name: action.name,
        order: action.order,
      }));
    case 'copyStage': {
      if (!inRange(stages, action.index)) return state;
      const original = stages[action.index];
      const copy = {
        ...original,
        name: copyName(
          original.name,
          stages.map(s => s.name),
        ),
      };
      return commit(
        state,
        withStages(present, insertAt(stages, action.index + 1, copy)),
      );
    }
    case 'deleteStage':
      if (!inRange(stages, action.index)) return state;
      return commit(state, withStages(present, removeAt(stages, action.index)));
    case 'moveStage':
      if (
        !inRange(stages, action.from) ||
        !inRange(stages, action.to) ||
        action.from === action.to
      ) {
        return state;
      }
      return commit(
        state,
        withStages(present, move(stages, action.from, action.to)),
      );
    case 'addTask':
      return editStage(state, action.stage, stage => ({
        ...stage,
        tasks: [...stage.tasks, action.task],
      }));
    case 'updateTask':
      if (!taskAt(state, action.at)) return state;
      return editStage(state, action.at.stage, stage => ({
        ...stage,
        tasks: replaceAt(stage.tasks, action.at.task, action.task),
      }));
    case 'copyTask': {
      const original = taskAt(state, action.at);
      if (!original) return state;
      return editStage(state, action.at.stage, stage => ({
        ...stage,
        tasks: insertAt(stage.tasks, action.at.task + 1, {
          ...original,
          name: copyName(
            original.name,
            stage.tasks.map(t => t.name),
          ),
        }),
      }));
    }
    case 'deleteTask':
      if (!taskAt(state, action.at)) return state;
      return editStage(state, action.at.stage, stage => ({
        ...stage,
        tasks: removeAt(stage.tasks, action.at.task),
      }));
    case 'moveTask':
      return moveTask(state, action.from, action.to);
    default:
      return history(state, action);
  }
}

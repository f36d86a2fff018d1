import { renderInTestApp } from '@backstage/test-utils';
import { act, screen } from '@testing-library/react';
import { useMemo, useReducer, type Dispatch } from 'react';
import { PipelineCanvas, type PipelineCanvasEditor } from '../PipelineCanvas';
import { installCanvasShims } from '../PipelineCanvas/__testUtils__/domShims';
import {
  largeSpec,
  scriptTask,
} from '../PipelineCanvas/__testUtils__/pipelines';
import {
  createEditorState,
  editorReducer,
  HISTORY_LIMIT,
  type EditorAction,
  type EditorState,
} from './state/editorState';
import { validateDraft } from './state/validateDraft';

/**
 * Counts the renders of task cards: the canvas stays responsive on a large pipeline
 * because an edit re-renders only the cards whose props it changed. Counting renders
 * proves that without timing anything (the browser tests print the times in Chromium).
 */
const mockCardRenders: string[] = [];
jest.mock('../PipelineCanvas/TaskCard', () => {
  const actual = jest.requireActual('../PipelineCanvas/TaskCard');
  const { memo } = jest.requireActual('react');
  const renderCard = actual.TaskCard.type;
  return {
    ...actual,
    TaskCard: memo(function CountedTaskCard(props: {
      stageIndex: number;
      taskIndex: number;
    }) {
      mockCardRenders.push(`${props.stageIndex}-${props.taskIndex}`);
      return renderCard(props);
    }, actual.TaskCard.compare),
  };
});

beforeAll(installCanvasShims);
jest.setTimeout(120_000);

const STAGES = 30;
const TASKS = 20;

describe('a 30 × 20 pipeline', () => {
  const draft = () => ({
    title: 'Large',
    name: 'large',
    entityRef: 'component:default/large',
    spec: largeSpec(STAGES, TASKS),
  });

  it('keeps a bounded undo history over a thousand edits, and undoes the last', () => {
    let state = createEditorState(draft(), false);
    for (let i = 0; i < 1000; i++) {
      state = editorReducer(state, {
        type: 'updateTask',
        at: { stage: i % STAGES, task: i % TASKS },
        task: scriptTask(`edited-${i}`),
      });
    }
    expect(state.past).toHaveLength(HISTORY_LIMIT);
    expect(state.present.spec.stages[999 % STAGES].tasks[999 % TASKS].name).toBe(
      'edited-999',
    );
    state = editorReducer(state, { type: 'undo' });
    expect(state.present.spec.stages[999 % STAGES].tasks[999 % TASKS].name).toBe(
      'edited-939',
    );
  });

  it('validates the whole document, naming the one bad task among 600', () => {
    const valid = draft();
    expect(validateDraft(valid, { creating: false }).ok).toBe(true);
    const broken = draft();
    broken.spec.stages[17].tasks[11] = scriptTask('task-18-1');
    const result = validateDraft(broken, { creating: false });
    expect(result.ok ? [] : result.problems.map(p => p.where)).toEqual([
      'spec.stages[17].tasks[11].name',
    ]);
  });

  it('renders 600 task cards, and re-renders only the cards an edit changed', async () => {
    let dispatch: Dispatch<EditorAction> = () => {};
    const Harness = () => {
      const [state, send] = useReducer(
        editorReducer,
        undefined,
        (): EditorState => createEditorState(draft(), false),
      );
      dispatch = send;
      const editor = useMemo<PipelineCanvasEditor>(
        () => ({
          onEditSource: () => {},
          onRemoveSource: () => {},
          onAddStage: () => {},
          onEditStage: () => {},
          onCopyStage: index => send({ type: 'copyStage', index }),
          onDeleteStage: index => send({ type: 'deleteStage', index }),
          onMoveStage: (from, to) => send({ type: 'moveStage', from, to }),
          onAddTask: () => {},
          onEditTask: () => {},
          onCopyTask: at => send({ type: 'copyTask', at }),
          onDeleteTask: at => send({ type: 'deleteTask', at }),
          onMoveTask: (from, to) => send({ type: 'moveTask', from, to }),
        }),
        [],
      );
      return <PipelineCanvas spec={state.present.spec} editor={editor} />;
    };

    await renderInTestApp(<Harness />);
    expect(screen.getAllByTestId(/^task-\d+-\d+$/)).toHaveLength(
      STAGES * TASKS,
    );
    expect(new Set(mockCardRenders).size).toBe(STAGES * TASKS);

    const cardsRenderedBy = (action: EditorAction) => {
      mockCardRenders.length = 0;
      act(() => dispatch(action));
      return [...new Set(mockCardRenders)].sort();
    };
    const stageCards = (stage: number) =>
      Array.from({ length: TASKS }, (_, task) => `${stage}-${task}`).sort();

    expect(
      cardsRenderedBy({
        type: 'updateTask',
        at: { stage: 14, task: 9 },
        task: scriptTask('renamed'),
      }),
    ).toEqual(['14-9']);
    expect(screen.getByTestId('task-14-9')).toHaveTextContent('renamed');

    // Moving the first task to the end shifts every card of that stage, and no other.
    expect(
      cardsRenderedBy({
        type: 'moveTask',
        from: { stage: 3, task: 0 },
        to: { stage: 3, task: 19 },
      }),
    ).toEqual(stageCards(3));
    expect(screen.getByTestId('task-3-19')).toHaveTextContent('task-4-1');

    expect(cardsRenderedBy({ type: 'undo' })).toEqual(stageCards(3));
    expect(screen.getByTestId('task-3-0')).toHaveTextContent('task-4-1');

    // A copied stage shifts every column after it: those cards change their place.
    cardsRenderedBy({ type: 'copyStage', index: 0 });
    expect(screen.getAllByTestId(/^task-\d+-\d+$/)).toHaveLength(
      (STAGES + 1) * TASKS,
    );
  });
});

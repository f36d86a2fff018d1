import { renderInTestApp } from '@backstage/test-utils';
import { act, screen } from '@testing-library/react';
import {
  Profiler,
  useMemo,
  useReducer,
  type Dispatch,
  type ProfilerOnRenderCallback,
} from 'react';
import { PipelineCanvas, type PipelineCanvasEditor } from '../PipelineCanvas';
import { installCanvasShims } from '../PipelineCanvas/__testUtils__/domShims';
import {
  largeSpec,
  scriptTask,
} from '../PipelineCanvas/__testUtils__/pipelines';
import {
  createEditorState,
  editorReducer,
  type EditorAction,
  type EditorState,
} from './state/editorState';
import { validateDraft } from './state/validateDraft';

beforeAll(installCanvasShims);
jest.setTimeout(120_000);

const STAGES = 30;
const TASKS = 20;

/**
 * Measures the editor on a 30-stage × 20-task pipeline, in jsdom, and prints the
 * numbers. jsdom is many times slower than a browser at rendering, so the assertions
 * bound what is relative (an edit costs a fraction of the first render) or far above
 * what was measured; the browser tests time the same in Chromium.
 */
describe('a 30 × 20 pipeline', () => {
  const report: string[] = [];
  const record = (what: string, ms: number) =>
    report.push(`${what.padEnd(52)} ${ms.toFixed(2).padStart(9)} ms`);
  afterAll(() => {
    process.stdout.write(
      `\nEditor on a ${STAGES} × ${TASKS} pipeline (jsdom):\n${report.join(
        '\n',
      )}\n`,
    );
  });

  const draft = () => ({
    title: 'Large',
    name: 'large',
    entityRef: 'component:default/large',
    spec: largeSpec(STAGES, TASKS),
  });

  it('edits in well under a millisecond per operation of the reducer', () => {
    let state = createEditorState(draft(), false);
    const actions: EditorAction[] = [];
    for (let i = 0; i < 250; i++) {
      const stage = i % STAGES;
      actions.push(
        {
          type: 'updateTask',
          at: { stage, task: i % TASKS },
          task: scriptTask(`edited-${i}`),
        },
        {
          type: 'moveTask',
          from: { stage, task: 0 },
          to: { stage, task: TASKS - 1 },
        },
        { type: 'moveStage', from: stage, to: (stage + 7) % STAGES },
        { type: 'undo' },
      );
    }
    const start = performance.now();
    for (const action of actions) state = editorReducer(state, action);
    const perOperation = (performance.now() - start) / actions.length;
    record(`reducer, mean of ${actions.length} operations`, perOperation);
    expect(perOperation).toBeLessThan(1);
    expect(state.past.length).toBeGreaterThan(0);
  });

  it('validates the whole document quickly enough to do on every edit', () => {
    const valid = draft();
    validateDraft(valid, { creating: false });
    const start = performance.now();
    const result = validateDraft(valid, { creating: false });
    const ms = performance.now() - start;
    record('whole-document validation (600 tasks)', ms);
    expect(result.ok).toBe(true);
    expect(ms).toBeLessThan(200);
  });

  it('renders 600 task cards, and re-renders only what an edit changed', async () => {
    const commits: number[] = [];
    const onRender: ProfilerOnRenderCallback = (
      _id,
      _phase,
      actualDuration,
    ) => {
      commits.push(actualDuration);
    };
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
      return (
        <Profiler id="canvas" onRender={onRender}>
          <PipelineCanvas spec={state.present.spec} editor={editor} />
        </Profiler>
      );
    };

    let start = performance.now();
    await renderInTestApp(<Harness />);
    const firstRender = performance.now() - start;
    record('first render, 31 cards and 600 task cards', firstRender);
    expect(screen.getAllByTestId(/^task-\d+-\d+$/)).toHaveLength(
      STAGES * TASKS,
    );
    const firstCommit = Math.max(...commits);

    const timeEdit = (what: string, action: EditorAction) => {
      commits.length = 0;
      start = performance.now();
      act(() => dispatch(action));
      const wall = performance.now() - start;
      const rendered = commits.reduce((sum, ms) => sum + ms, 0);
      record(`${what}: wall`, wall);
      record(`${what}: React render`, rendered);
      return rendered;
    };

    const oneTask = timeEdit('edit one task', {
      type: 'updateTask',
      at: { stage: 14, task: 9 },
      task: scriptTask('renamed'),
    });
    expect(screen.getByTestId('task-14-9')).toHaveTextContent('renamed');
    const move = timeEdit('move a task within its stage', {
      type: 'moveTask',
      from: { stage: 3, task: 0 },
      to: { stage: 3, task: 19 },
    });
    expect(screen.getByTestId('task-3-19')).toHaveTextContent('task-4-1');
    const undo = timeEdit('undo', { type: 'undo' });
    expect(screen.getByTestId('task-3-0')).toHaveTextContent('task-4-1');
    const insert = timeEdit('copy the first stage (every column shifts)', {
      type: 'copyStage',
      index: 0,
    });
    expect(screen.getAllByTestId(/^task-\d+-\d+$/)).toHaveLength(
      (STAGES + 1) * TASKS,
    );
    record('first render: React render', firstCommit);

    // Memoised columns and cards: an edit of one stage costs a small part of drawing
    // the whole pipeline.
    expect(oneTask).toBeLessThan(firstCommit / 5);
    expect(move).toBeLessThan(firstCommit / 5);
    expect(undo).toBeLessThan(firstCommit / 5);
    expect(insert).toBeLessThan(firstCommit * 2);
  });
});

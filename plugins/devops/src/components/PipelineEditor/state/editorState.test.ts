import type { Task } from '@devops-pipelines/plugin-devops-common';
import { scriptTask } from '../../PipelineCanvas/__testUtils__/pipelines';
import { newPipelineDraft } from './drafts';
import {
  HISTORY_LIMIT,
  canRedo,
  canUndo,
  copyName,
  createEditorState,
  editorReducer,
  isDirty,
  type EditorAction,
  type EditorState,
  type PipelineDraft,
} from './editorState';

function draft(): PipelineDraft {
  return {
    title: 'Jack 2048',
    name: 'jack-2048',
    entityRef: 'component:default/jack-2048',
    spec: {
      stages: [
        {
          name: 'Build',
          order: 'sequential',
          tasks: [scriptTask('compile'), scriptTask('package')],
        },
        { name: 'Test', order: 'sequential', tasks: [scriptTask('unit')] },
        { name: 'Deploy', order: 'parallel', tasks: [scriptTask('release')] },
      ],
    },
  };
}

const apply = (state: EditorState, ...actions: EditorAction[]) =>
  actions.reduce(editorReducer, state);

const start = (nameFollowsTitle = false) =>
  createEditorState(draft(), nameFollowsTitle);

const stageNames = (state: EditorState) =>
  state.present.spec.stages.map(s => s.name);
const taskNames = (state: EditorState, stage: number) =>
  state.present.spec.stages[stage].tasks.map(t => t.name);

describe('editorReducer', () => {
  describe('stages', () => {
    it('adds a stage after any stage, or first with after: -1', () => {
      const stage = { name: 'Lint', order: 'sequential' as const, tasks: [] };
      expect(
        stageNames(apply(start(), { type: 'addStage', after: 0, stage })),
      ).toEqual(['Build', 'Lint', 'Test', 'Deploy']);
      expect(
        stageNames(apply(start(), { type: 'addStage', after: 2, stage })),
      ).toEqual(['Build', 'Test', 'Deploy', 'Lint']);
      expect(
        stageNames(apply(start(), { type: 'addStage', after: -1, stage })),
      ).toEqual(['Lint', 'Build', 'Test', 'Deploy']);
    });

    it('ignores an add after a stage that does not exist', () => {
      const state = start();
      const stage = { name: 'Lint', order: 'sequential' as const, tasks: [] };
      expect(editorReducer(state, { type: 'addStage', after: 3, stage })).toBe(
        state,
      );
    });

    it('edits the name and order of a stage, keeping its tasks', () => {
      const state = apply(start(), {
        type: 'updateStage',
        index: 1,
        name: 'Verify',
        order: 'parallel',
      });
      expect(state.present.spec.stages[1]).toEqual({
        name: 'Verify',
        order: 'parallel',
        tasks: [scriptTask('unit')],
      });
    });

    it('copies a stage with its tasks right after it', () => {
      const state = apply(start(), { type: 'copyStage', index: 0 });
      expect(stageNames(state)).toEqual([
        'Build',
        'Build (copy)',
        'Test',
        'Deploy',
      ]);
      expect(taskNames(state, 1)).toEqual(['compile', 'package']);
      const again = apply(state, { type: 'copyStage', index: 0 });
      expect(stageNames(again)[1]).toBe('Build (copy 2)');
    });

    it('deletes a stage', () => {
      expect(
        stageNames(apply(start(), { type: 'deleteStage', index: 1 })),
      ).toEqual(['Build', 'Deploy']);
    });

    it('moves a stage to the index it is dropped at', () => {
      expect(
        stageNames(apply(start(), { type: 'moveStage', from: 0, to: 2 })),
      ).toEqual(['Test', 'Deploy', 'Build']);
      expect(
        stageNames(apply(start(), { type: 'moveStage', from: 2, to: 0 })),
      ).toEqual(['Deploy', 'Build', 'Test']);
    });

    it('leaves the history alone for a move nowhere or out of range', () => {
      const state = start();
      expect(editorReducer(state, { type: 'moveStage', from: 1, to: 1 })).toBe(
        state,
      );
      expect(editorReducer(state, { type: 'moveStage', from: 0, to: 3 })).toBe(
        state,
      );
    });
  });

  describe('tasks', () => {
    const lint: Task = scriptTask('lint');

    it('adds a task at the end of its stage', () => {
      const state = apply(start(), { type: 'addTask', stage: 0, task: lint });
      expect(taskNames(state, 0)).toEqual(['compile', 'package', 'lint']);
    });

    it('replaces an edited task in place', () => {
      const state = apply(start(), {
        type: 'updateTask',
        at: { stage: 0, task: 0 },
        task: lint,
      });
      expect(taskNames(state, 0)).toEqual(['lint', 'package']);
    });

    it('copies a task right after it, under a name free in its stage', () => {
      const once = apply(start(), {
        type: 'copyTask',
        at: { stage: 0, task: 0 },
      });
      expect(taskNames(once, 0)).toEqual([
        'compile',
        'compile (copy)',
        'package',
      ]);
      const twice = apply(once, {
        type: 'copyTask',
        at: { stage: 0, task: 0 },
      });
      expect(taskNames(twice, 0)[1]).toBe('compile (copy 2)');
      expect(twice.present.spec.stages[0].tasks[1]).toMatchObject({
        type: 'runScript',
        script: 'npm test',
      });
    });

    it('deletes a task', () => {
      const state = apply(start(), {
        type: 'deleteTask',
        at: { stage: 0, task: 0 },
      });
      expect(taskNames(state, 0)).toEqual(['package']);
    });

    it('moves a task within its stage', () => {
      const state = apply(
        start(),
        { type: 'addTask', stage: 0, task: lint },
        {
          type: 'moveTask',
          from: { stage: 0, task: 2 },
          to: { stage: 0, task: 0 },
        },
      );
      expect(taskNames(state, 0)).toEqual(['lint', 'compile', 'package']);
    });

    it('refuses to move a task into another stage, and says why', () => {
      const before = start();
      const state = editorReducer(before, {
        type: 'moveTask',
        from: { stage: 0, task: 1 },
        to: { stage: 1, task: 0 },
      });
      expect(state.present).toBe(before.present);
      expect(state.past).toHaveLength(0);
      expect(state.notice).toBe(
        'Task "package" stays in stage "Build": tasks are reordered only within their stage.',
      );
      expect(editorReducer(state, { type: 'dismissNotice' }).notice).toBe(
        undefined,
      );
      // The next edit clears the notice too.
      expect(
        editorReducer(state, { type: 'deleteStage', index: 2 }).notice,
      ).toBe(undefined);
    });

    it('ignores positions that do not exist', () => {
      const state = start();
      expect(
        editorReducer(state, { type: 'deleteTask', at: { stage: 0, task: 5 } }),
      ).toBe(state);
      expect(
        editorReducer(state, { type: 'copyTask', at: { stage: 9, task: 0 } }),
      ).toBe(state);
      expect(
        editorReducer(state, {
          type: 'updateTask',
          at: { stage: 1, task: 1 },
          task: lint,
        }),
      ).toBe(state);
    });

    it('leaves untouched stages and tasks as the same objects', () => {
      const before = start();
      const after = apply(before, {
        type: 'updateTask',
        at: { stage: 0, task: 1 },
        task: lint,
      });
      const [build, test, deploy] = after.present.spec.stages;
      expect(build.tasks[0]).toBe(before.present.spec.stages[0].tasks[0]);
      expect(test).toBe(before.present.spec.stages[1]);
      expect(deploy).toBe(before.present.spec.stages[2]);
    });
  });

  describe('source and parameters', () => {
    const source = {
      provider: 'github' as const,
      repository: 'https://github.com/jack/2048.git',
      branch: 'main',
    };

    it('sets and removes the source', () => {
      const withSource = apply(start(), { type: 'setSource', source });
      expect(withSource.present.spec.source).toEqual(source);
      const without = apply(withSource, {
        type: 'setSource',
        source: undefined,
      });
      expect(without.present.spec).not.toHaveProperty('source');
    });

    it('sets parameters, and drops the field when none are left', () => {
      const parameters = [{ name: 'REGISTRY', value: 'hub.example.com' }];
      const set = apply(start(), { type: 'setParameters', parameters });
      expect(set.present.spec.parameters).toEqual(parameters);
      const cleared = apply(set, { type: 'setParameters', parameters: [] });
      expect(cleared.present.spec).not.toHaveProperty('parameters');
    });
  });

  describe('title and slug', () => {
    it('derives the slug of a new pipeline from its title', () => {
      const state = apply(createEditorState(newPipelineDraft(), true), {
        type: 'setTitle',
        title: 'YAML部署2048游戏镜像',
      });
      expect(state.present).toMatchObject({
        title: 'YAML部署2048游戏镜像',
        name: 'yaml-2048',
      });
    });

    it('stops deriving once the slug is edited by hand', () => {
      const state = apply(
        createEditorState(newPipelineDraft(), true),
        { type: 'setTitle', title: 'Deploy' },
        { type: 'setName', name: 'deploy-web' },
        { type: 'setTitle', title: 'Deploy the web site' },
      );
      expect(state.present.name).toBe('deploy-web');
    });

    it('never renames an existing pipeline when its title changes', () => {
      const state = apply(start(false), { type: 'setTitle', title: 'Other' });
      expect(state.present.name).toBe('jack-2048');
    });

    it('makes a run of typing into one field one undo step', () => {
      const typed = apply(
        start(),
        { type: 'setTitle', title: 'J' },
        { type: 'setTitle', title: 'Ja' },
        { type: 'setTitle', title: 'Jac' },
        { type: 'setName', name: 'j' },
        { type: 'setName', name: 'ja' },
      );
      expect(typed.past).toHaveLength(2);
      const undone = apply(typed, { type: 'undo' });
      expect(undone.present).toMatchObject({ title: 'Jac', name: 'jack-2048' });
      expect(apply(undone, { type: 'undo' }).present.title).toBe('Jack 2048');
    });
  });

  describe('history', () => {
    const edits: EditorAction[] = [
      { type: 'deleteStage', index: 2 },
      { type: 'copyStage', index: 0 },
    ];

    it('undoes and redoes each edit', () => {
      const state = apply(start(), ...edits);
      expect(stageNames(state)).toEqual(['Build', 'Build (copy)', 'Test']);
      const once = apply(state, { type: 'undo' });
      expect(stageNames(once)).toEqual(['Build', 'Test']);
      const twice = apply(once, { type: 'undo' });
      expect(stageNames(twice)).toEqual(['Build', 'Test', 'Deploy']);
      expect(canUndo(twice)).toBe(false);
      expect(apply(twice, { type: 'undo' })).toBe(twice);
      const redone = apply(twice, { type: 'redo' }, { type: 'redo' });
      expect(stageNames(redone)).toEqual(['Build', 'Build (copy)', 'Test']);
      expect(canRedo(redone)).toBe(false);
      expect(apply(redone, { type: 'redo' })).toBe(redone);
    });

    it('forgets what could be redone once something new is edited', () => {
      const state = apply(
        start(),
        ...edits,
        { type: 'undo' },
        { type: 'deleteStage', index: 0 },
      );
      expect(canRedo(state)).toBe(false);
      expect(stageNames(state)).toEqual(['Test']);
    });

    it('resets to the opening state, as a step that can be undone', () => {
      const state = apply(start(), ...edits, { type: 'reset' });
      expect(state.present).toBe(state.initial);
      expect(isDirty(state)).toBe(false);
      const undone = apply(state, { type: 'undo' });
      expect(stageNames(undone)).toEqual(['Build', 'Build (copy)', 'Test']);
    });

    it('does nothing on reset when nothing changed', () => {
      const state = start();
      expect(editorReducer(state, { type: 'reset' })).toBe(state);
    });

    it('keeps at most HISTORY_LIMIT steps', () => {
      let state = start();
      for (let i = 0; i < HISTORY_LIMIT + 10; i++) {
        state = editorReducer(state, { type: 'copyStage', index: 0 });
      }
      expect(state.past).toHaveLength(HISTORY_LIMIT);
    });

    it('starts over with a loaded draft', () => {
      const loaded = { ...draft(), title: 'Reloaded' };
      const state = apply(start(), ...edits, {
        type: 'load',
        draft: loaded,
        nameFollowsTitle: false,
      });
      expect(state.present).toBe(loaded);
      expect(state.initial).toBe(loaded);
      expect(canUndo(state)).toBe(false);
    });
  });

  describe('dirty flag', () => {
    it('is clean when opened, dirty after an edit, clean when undone', () => {
      const state = start();
      expect(isDirty(state)).toBe(false);
      const edited = apply(state, { type: 'deleteStage', index: 0 });
      expect(isDirty(edited)).toBe(true);
      expect(isDirty(apply(edited, { type: 'undo' }))).toBe(false);
    });

    it('is clean once saved, and reset goes back to the saved state', () => {
      const saved = apply(
        start(),
        { type: 'deleteStage', index: 0 },
        { type: 'saved' },
      );
      expect(isDirty(saved)).toBe(false);
      const reset = apply(
        saved,
        { type: 'copyStage', index: 0 },
        { type: 'reset' },
      );
      expect(stageNames(reset)).toEqual(['Test', 'Deploy']);
    });

    it('stays clean after a refused move', () => {
      const state = apply(start(), {
        type: 'moveTask',
        from: { stage: 0, task: 0 },
        to: { stage: 2, task: 0 },
      });
      expect(isDirty(state)).toBe(false);
    });
  });
});

describe('copyName', () => {
  it('finds the first free "(copy n)" name', () => {
    expect(copyName('a', ['a'])).toBe('a (copy)');
    expect(copyName('a', ['a', 'a (copy)', 'a (copy 2)'])).toBe('a (copy 3)');
  });
});

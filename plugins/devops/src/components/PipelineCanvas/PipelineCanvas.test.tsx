import { renderInTestApp } from '@backstage/test-utils';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import { fireEvent, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { PipelineCanvas } from './PipelineCanvas';
import type { CanvasProblems, PipelineCanvasEditor } from './types';
import { taskTypeList, verifyFilesType } from '../../__testUtils__/taskTypes';
import { installCanvasShims } from './__testUtils__/domShims';
import { sampleRun, sampleSpec } from './__testUtils__/pipelines';

beforeAll(installCanvasShims);
jest.setTimeout(30_000);

function mockEditor(): jest.Mocked<PipelineCanvasEditor> {
  return {
    onEditSource: jest.fn(),
    onRemoveSource: jest.fn(),
    onAddStage: jest.fn(),
    onEditStage: jest.fn(),
    onCopyStage: jest.fn(),
    onDeleteStage: jest.fn(),
    onMoveStage: jest.fn(),
    onAddTask: jest.fn(),
    onEditTask: jest.fn(),
    onCopyTask: jest.fn(),
    onDeleteTask: jest.fn(),
    onMoveTask: jest.fn(),
  };
}

async function renderEditable(
  spec: PipelineSpec = sampleSpec(),
  problems?: CanvasProblems,
) {
  const editor = mockEditor();
  await renderInTestApp(
    <PipelineCanvas spec={spec} editor={editor} problems={problems} />,
  );
  return editor;
}

describe('PipelineCanvas', () => {
  it('draws a pipeline read-only, coloured by a run, with a legend', async () => {
    await renderInTestApp(
      <PipelineCanvas spec={sampleSpec()} run={sampleRun()} />,
    );
    const canvas = screen.getByTestId('pipeline-canvas');
    const source = within(canvas).getByTestId('source-card');
    expect(source).toHaveTextContent('GitLab');
    expect(source).toHaveTextContent(
      'https://gitlab.example.com/qa/jack-2048.git',
    );
    expect(source).toHaveTextContent('Branch: master');

    expect(screen.getByTestId('stage-0')).toHaveTextContent('Build');
    expect(screen.getByTestId('stage-0')).toHaveAttribute(
      'data-status',
      'failed',
    );
    expect(screen.getByTestId('stage-1')).toHaveTextContent(
      'Skipped · parallel',
    );
    expect(screen.getByTestId('task-0-0')).toHaveTextContent(
      'compileSucceeded · 12s',
    );
    expect(screen.getByTestId('task-0-1')).toHaveTextContent('packageFailed');
    expect(screen.getByTestId('task-0-1')).toHaveAttribute(
      'title',
      'exit code 2',
    );
    expect(screen.getByTestId('task-1-0')).toHaveAttribute(
      'data-status',
      'skipped',
    );

    const legend = screen.getByRole('list', { name: 'Run status colours' });
    expect(
      within(legend)
        .getAllByRole('listitem')
        .map(i => i.textContent),
    ).toEqual([
      'Queued',
      'Waiting for resources',
      'Running',
      'Succeeded',
      'Failed',
      'Stopped',
      'Skipped',
      'Timed out',
    ]);
    expect(within(canvas).queryByRole('button', { name: /^Edit/ })).toBeNull();
    expect(screen.getByTestId('task-0-0')).toHaveAttribute(
      'draggable',
      'false',
    );
  });

  it('colours only the stages the run ran under the same name', async () => {
    const spec = sampleSpec();
    spec.stages[0] = { ...spec.stages[0], name: 'Compile' };
    await renderInTestApp(<PipelineCanvas spec={spec} run={sampleRun()} />);
    expect(screen.getByTestId('stage-0')).not.toHaveAttribute('data-status');
    expect(screen.getByTestId('task-0-0')).toHaveTextContent('Run script');
    expect(screen.getByTestId('stage-1')).toHaveAttribute(
      'data-status',
      'skipped',
    );
  });

  it('shows task types and the order of each stage without a run', async () => {
    await renderInTestApp(<PipelineCanvas spec={sampleSpec()} />);
    expect(screen.getByTestId('task-1-0')).toHaveTextContent(
      'releaseDeploy YAML',
    );
    expect(screen.getByTestId('stage-0')).toHaveTextContent('Sequential');
    expect(screen.getByTestId('stage-1')).toHaveTextContent('Parallel');
    expect(
      screen.queryByRole('list', { name: 'Run status colours' }),
    ).toBeNull();
  });

  it("names a module's task type by the title the portal gives it, and an unknown one by its id", async () => {
    const spec = sampleSpec();
    spec.stages[1].tasks.push(
      { name: 'check', type: 'example:verifyFiles', paths: 'README.md' },
      { name: 'scan', type: 'acme:scan' },
    );
    const { rerender } = await renderInTestApp(
      <PipelineCanvas spec={spec} editor={mockEditor()} />,
    );
    // Until the portal's list is there, only the built-in titles are known.
    expect(screen.getByTestId('task-1-1')).toHaveTextContent(
      'checkexample:verifyFiles',
    );
    rerender(
      <PipelineCanvas
        spec={spec}
        editor={mockEditor()}
        taskTypes={taskTypeList(verifyFilesType).items}
      />,
    );
    expect(screen.getByTestId('task-1-0')).toHaveTextContent(
      'releaseDeploy YAML',
    );
    expect(screen.getByTestId('task-1-1')).toHaveTextContent(
      'checkVerify files',
    );
    expect(screen.getByTestId('task-1-2')).toHaveTextContent('scanacme:scan');
  });

  it('offers every edit through buttons that take clicks', async () => {
    const editor = await renderEditable();
    // The default user-event checks that nothing (React Flow's wrappers included)
    // makes the buttons ignore the pointer.
    const user = userEvent.setup();

    await user.click(
      screen.getByRole('button', { name: 'Add stage after Source' }),
    );
    expect(editor.onAddStage).toHaveBeenLastCalledWith(-1);
    await user.click(
      screen.getByRole('button', { name: 'Add stage after Build' }),
    );
    expect(editor.onAddStage).toHaveBeenLastCalledWith(0);
    await user.click(
      screen.getByRole('button', { name: 'Add task to Deploy' }),
    );
    expect(editor.onAddTask).toHaveBeenLastCalledWith(1);
    await user.click(screen.getByRole('button', { name: 'Edit stage Deploy' }));
    expect(editor.onEditStage).toHaveBeenLastCalledWith(1);
    await user.click(screen.getByRole('button', { name: 'Edit task package' }));
    expect(editor.onEditTask).toHaveBeenLastCalledWith({ stage: 0, task: 1 });
    await user.click(screen.getByRole('button', { name: 'Edit source' }));
    expect(editor.onEditSource).toHaveBeenCalled();
    await user.click(screen.getByRole('button', { name: 'Remove source' }));
    expect(editor.onRemoveSource).toHaveBeenCalled();

    await user.click(
      screen.getByRole('button', { name: 'Actions for stage Build' }),
    );
    expect(
      screen.getByRole('menuitem', { name: 'Move stage left' }),
    ).toHaveAttribute('aria-disabled', 'true');
    await user.click(
      screen.getByRole('menuitem', { name: 'Move stage right' }),
    );
    expect(editor.onMoveStage).toHaveBeenLastCalledWith(0, 1);

    await user.click(
      screen.getByRole('button', { name: 'Actions for task compile' }),
    );
    await user.click(screen.getByRole('menuitem', { name: 'Copy task' }));
    expect(editor.onCopyTask).toHaveBeenLastCalledWith({ stage: 0, task: 0 });
    await user.click(
      screen.getByRole('button', { name: 'Actions for task package' }),
    );
    expect(
      screen.getByRole('menuitem', { name: 'Move task down' }),
    ).toHaveAttribute('aria-disabled', 'true');
    await user.click(screen.getByRole('menuitem', { name: 'Move task up' }));
    expect(editor.onMoveTask).toHaveBeenLastCalledWith(
      { stage: 0, task: 1 },
      { stage: 0, task: 0 },
    );
    await user.click(
      screen.getByRole('button', { name: 'Actions for task release' }),
    );
    await user.click(screen.getByRole('menuitem', { name: 'Delete task' }));
    expect(editor.onDeleteTask).toHaveBeenLastCalledWith({ stage: 1, task: 0 });
    await user.click(
      screen.getByRole('button', { name: 'Actions for stage Deploy' }),
    );
    await user.click(screen.getByRole('menuitem', { name: 'Copy stage' }));
    expect(editor.onCopyStage).toHaveBeenLastCalledWith(1);
    await user.click(
      screen.getByRole('button', { name: 'Actions for stage Deploy' }),
    );
    await user.click(screen.getByRole('menuitem', { name: 'Delete stage' }));
    expect(editor.onDeleteStage).toHaveBeenLastCalledWith(1);
  });

  it('opens cards from the keyboard', async () => {
    const editor = await renderEditable();
    screen.getByRole('button', { name: 'Edit task compile' }).focus();
    await userEvent.keyboard('{Enter}');
    expect(editor.onEditTask).toHaveBeenLastCalledWith({ stage: 0, task: 0 });
    screen.getByRole('button', { name: 'Edit stage Deploy' }).focus();
    await userEvent.keyboard(' ');
    expect(editor.onEditStage).toHaveBeenLastCalledWith(1);
  });

  it('offers to add a source when there is none', async () => {
    const { source: _none, ...spec } = sampleSpec();
    const editor = await renderEditable(spec);
    expect(screen.getByTestId('source-card')).toHaveTextContent(
      'No code source',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add source' }));
    expect(editor.onEditSource).toHaveBeenCalled();
    expect(screen.queryByRole('button', { name: 'Remove source' })).toBeNull();
  });

  it('reorders tasks within their stage by drag and drop', async () => {
    const editor = await renderEditable();
    // jsdom lays nothing out: every card's box is at 0, so a pointer at y = 0 is in
    // the card's lower half (after it) and y = -1 in its upper half (before it).
    fireEvent.dragStart(screen.getByTestId('task-0-0'));
    fireEvent.dragOver(screen.getByTestId('task-0-1'), { clientY: 0 });
    expect(screen.getByTestId('task-0-0').className).toMatch(/dragged/);
    fireEvent.drop(screen.getByTestId('task-0-1'), { clientY: 0 });
    expect(editor.onMoveTask).toHaveBeenLastCalledWith(
      { stage: 0, task: 0 },
      { stage: 0, task: 1 },
    );

    fireEvent.dragStart(screen.getByTestId('task-0-1'));
    fireEvent.drop(screen.getByTestId('task-0-0'), { clientY: -1 });
    expect(editor.onMoveTask).toHaveBeenLastCalledWith(
      { stage: 0, task: 1 },
      { stage: 0, task: 0 },
    );

    // Dropped where it already is: nothing to do.
    editor.onMoveTask.mockClear();
    fireEvent.dragStart(screen.getByTestId('task-0-0'));
    fireEvent.drop(screen.getByTestId('task-0-0'), { clientY: -1 });
    expect(editor.onMoveTask).not.toHaveBeenCalled();
  });

  it('shows a task dragged over another stage that it cannot go there', async () => {
    const editor = await renderEditable();
    fireEvent.dragStart(screen.getByTestId('task-0-1'));
    fireEvent.dragOver(screen.getByTestId('task-1-0'));
    expect(
      within(screen.getByTestId('stage-1')).getByRole('status'),
    ).toHaveTextContent('Tasks stay in their own stage');
    fireEvent.drop(screen.getByTestId('task-1-0'));
    // The editor hears of it, to refuse it aloud.
    expect(editor.onMoveTask).toHaveBeenLastCalledWith(
      { stage: 0, task: 1 },
      { stage: 1, task: 1 },
    );
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('reorders stages by dragging their header', async () => {
    const editor = await renderEditable();
    const header = screen
      .getByTestId('stage-0')
      .querySelector('[data-stage-header]')!;
    fireEvent.dragStart(header);
    fireEvent.dragOver(screen.getByTestId('stage-1'), { clientX: 0 });
    expect(screen.getByTestId('stage-0').className).toMatch(/dragged/);
    expect(screen.getByTestId('stage-1').className).toMatch(/dropAfter/);
    fireEvent.drop(screen.getByTestId('stage-1'), { clientX: 0 });
    expect(editor.onMoveStage).toHaveBeenLastCalledWith(0, 1);
    expect(screen.getByTestId('stage-0').className).not.toMatch(/dragged/);
  });

  it('highlights the cards that have problems', async () => {
    const spec = sampleSpec();
    spec.stages.push({ name: 'Empty', order: 'sequential', tasks: [] });
    await renderEditable(spec, {
      source: ['a branch is required'],
      stages: {
        0: { messages: [], tasks: { 1: ['an image is required'] } },
        2: { messages: ['a stage needs at least one task'], tasks: {} },
      },
    });
    expect(screen.getByTestId('source-card')).toHaveTextContent(
      'a branch is required',
    );
    expect(screen.getByTestId('task-0-1')).toHaveTextContent(
      'an image is required',
    );
    expect(screen.getByTestId('task-0-1').className).toMatch(/invalid/);
    expect(screen.getByTestId('task-0-0').className).not.toMatch(/invalid/);
    expect(screen.getByTestId('stage-0').className).toMatch(/invalid/);
    expect(screen.getByTestId('stage-1').className).not.toMatch(/invalid/);
    expect(screen.getByTestId('stage-2')).toHaveTextContent(
      'a stage needs at least one task',
    );
    expect(screen.getByTestId('stage-2').className).toMatch(/invalid/);
  });
});

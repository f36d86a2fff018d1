import { ResponseError } from '@backstage/errors';
import type { PermissionApi } from '@backstage/plugin-permission-react';
import {
  devopsPipelineExecutePermission,
  devopsPipelineUpdatePermission,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent, {
  PointerEventsCheckLevel,
} from '@testing-library/user-event';
import { Link, Route, Routes, useLocation } from 'react-router-dom';
import { makePipeline } from '../../__testUtils__/pipelines';
import { taskTypeList, verifyFilesType } from '../../__testUtils__/taskTypes';
import type { DevopsApi } from '../../api';
import { NOT_ALLOWED } from '../../lib/usePipelinePermissions';
import { DevopsMountContext } from '../../links';
import { installCanvasShims } from '../PipelineCanvas/__testUtils__/domShims';
import { PipelineEditorPage } from './PipelineEditorPage';
import {
  permissionApiDenying,
  renderWithDevopsApi,
} from '../../__testUtils__/renderWithDevopsApi';

beforeAll(installCanvasShims);
// Each test goes through several dialogs; jsdom renders Material UI slowly.
jest.setTimeout(60_000);

/**
 * The canvas test checks that its buttons take clicks; here, skipping that check for
 * every click keeps these longer flows fast.
 */
const user = userEvent.setup({
  pointerEventsCheck: PointerEventsCheckLevel.Never,
});

/** Types a whole value at once, as a paste would. */
const fill = (field: HTMLElement, value: string) =>
  fireEvent.change(field, { target: { value } });

const CurrentLocation = () => {
  const location = useLocation();
  return <div data-testid="location">{location.pathname}</div>;
};

async function renderEditor(
  path: string,
  devopsApi: Partial<DevopsApi>,
  entityRef?: string,
  permissionApi?: PermissionApi,
) {
  return renderWithDevopsApi(
    <DevopsMountContext.Provider value={{ basePath: '/devops', entityRef }}>
      <Routes>
        <Route path="/devops/pipelines/new" element={<PipelineEditorPage />} />
        <Route
          path="/devops/pipelines/:pipelineId/edit"
          element={<PipelineEditorPage />}
        />
        <Route path="*" element={<CurrentLocation />} />
      </Routes>
      <Link to="/catalog">Catalog</Link>
    </DevopsMountContext.Provider>,
    devopsApi,
    { routeEntries: [path], permissionApi },
  );
}

const stageNames = () =>
  screen
    .getAllByRole('group', { name: /^Stage / })
    .map(group => group.getAttribute('aria-label'));

/** A button of the editor's toolbar, by its accessible name. */
const button = (name: string | RegExp) =>
  within(screen.getByLabelText('Pipeline editor actions')).getByRole('button', {
    name,
  });

async function openMenuItem(cardActions: string, item: string) {
  await user.click(screen.getByLabelText(cardActions));
  await user.click(await screen.findByRole('menuitem', { name: item }));
  await waitFor(() => expect(screen.queryByRole('menu')).toBeNull());
}

async function addScriptTask(stage: string, name: string) {
  await user.click(screen.getByLabelText(`Add task to ${stage}`));
  const dialog = await screen.findByRole('dialog', {
    name: `Add task to ${stage}`,
  });
  fill(within(dialog).getByLabelText(/^Name \*/), name);
  fill(within(dialog).getByLabelText(/^Image \*/), 'node');
  fill(within(dialog).getByLabelText(/^Image tag/), '22-alpine');
  fill(within(dialog).getByLabelText(/^Script/), 'npm test');
  await user.click(within(dialog).getByRole('button', { name: 'Add task' }));
  await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
}

async function conflictError() {
  return ResponseError.fromResponse(
    new Response(
      JSON.stringify({
        error: { name: 'ConflictError', message: 'version 1 is outdated' },
        request: { method: 'PUT', url: '/pipelines/p1' },
        response: { statusCode: 409 },
      }),
      {
        status: 409,
        statusText: 'Conflict',
        headers: { 'Content-Type': 'application/json' },
      },
    ),
  );
}

function withVersion(pipeline: Pipeline, version: number): Pipeline {
  return { ...pipeline, status: { ...pipeline.status, version } };
}

describe('PipelineEditorPage', () => {
  it('creates a pipeline from scratch', async () => {
    const created = makePipeline({ id: 'p-new', name: 'yaml-2048' });
    const createPipeline = jest.fn().mockResolvedValue(created);
    await renderEditor(
      '/devops/pipelines/new',
      { createPipeline },
      'component:default/jack-2048',
    );

    // Source card, then Build, Test and Deploy, each waiting for a task.
    expect(screen.getByTestId('source-card')).toHaveTextContent(
      'No code source',
    );
    expect(stageNames()).toEqual(['Stage Build', 'Stage Test', 'Stage Deploy']);
    expect(screen.getByTestId('stage-0')).toHaveTextContent(
      'a stage needs at least one task',
    );

    fill(screen.getByLabelText('Pipeline name'), 'YAML部署2048游戏镜像');
    expect(screen.getByLabelText(/^Slug/)).toHaveValue('yaml-2048');

    await user.click(button('Save'));
    const problems = screen.getByLabelText('Problems to fix before saving');
    expect(problems).toHaveTextContent(
      'spec.stages[0].tasks: a stage needs at least one task',
    );
    expect(createPipeline).not.toHaveBeenCalled();

    await addScriptTask('Build', 'compile');
    await openMenuItem('Actions for stage Test', 'Delete stage');
    await openMenuItem('Actions for stage Deploy', 'Delete stage');
    expect(stageNames()).toEqual(['Stage Build']);
    expect(screen.queryByLabelText('Problems to fix before saving')).toBeNull();

    await user.click(button('Save'));
    expect(createPipeline).toHaveBeenCalledWith({
      apiVersion: 'devops.backstage.io/v1',
      kind: 'Pipeline',
      metadata: {
        name: 'yaml-2048',
        title: 'YAML部署2048游戏镜像',
        entityRef: 'component:default/jack-2048',
      },
      spec: {
        stages: [
          {
            name: 'Build',
            order: 'sequential',
            tasks: [
              {
                name: 'compile',
                type: 'runScript',
                image: 'node',
                tag: '22-alpine',
                script: 'npm test',
              },
            ],
          },
        ],
      },
    });
    // Mounted in an entity's tab, which is itself Pipelines: the pipeline is right under it.
    expect(await screen.findByTestId('location')).toHaveTextContent(
      /^\/devops\/p-new$/,
    );
  });

  it('asks for the entity on the global page, and runs after saving', async () => {
    const created = makePipeline({ id: 'p-new' });
    const createPipeline = jest.fn().mockResolvedValue(created);
    const runPipeline = jest.fn().mockResolvedValue({ id: 'run-1' });
    await renderEditor('/devops/pipelines/new', {
      createPipeline,
      runPipeline,
    });

    fill(screen.getByLabelText('Pipeline name'), 'Nightly');
    await addScriptTask('Build', 'compile');
    await addScriptTask('Test', 'unit');
    await addScriptTask('Deploy', 'ship');
    await user.click(button('Save and run'));
    expect(screen.getByLabelText(/^Belongs to/)).toHaveAccessibleDescription(
      'an entityRef is required',
    );
    expect(createPipeline).not.toHaveBeenCalled();

    fill(screen.getByLabelText(/^Belongs to/), 'component:default/nightly');
    await user.click(button('Save and run'));
    expect(createPipeline).toHaveBeenCalledWith(
      expect.objectContaining({
        metadata: {
          name: 'nightly',
          title: 'Nightly',
          entityRef: 'component:default/nightly',
        },
      }),
    );
    expect(runPipeline).toHaveBeenCalledWith('p-new');
    expect(await screen.findByTestId('location')).toHaveTextContent(
      '/devops/runs/run-1',
    );
  });

  it('explains a 409 on save and reloads the latest version', async () => {
    const original: Pipeline = {
      ...makePipeline({ id: 'p1', title: 'Jack 2048' }),
    };
    original.spec = {
      ...original.spec,
      triggers: { events: { push: true, merge: false, tag: false } },
    };
    const latest = withVersion(
      {
        ...original,
        spec: {
          ...original.spec,
          stages: [{ ...original.spec.stages[0], name: 'Verify' }],
        },
      },
      2,
    );
    const getPipeline = jest
      .fn()
      .mockResolvedValueOnce(original)
      .mockResolvedValueOnce(latest);
    const updatePipeline = jest
      .fn()
      .mockRejectedValueOnce(await conflictError())
      .mockRejectedValueOnce(await conflictError())
      .mockResolvedValueOnce(latest);
    await renderEditor('/devops/pipelines/p1/edit', {
      getPipeline,
      updatePipeline,
    });

    expect(await screen.findByText('Edit Jack 2048')).toBeInTheDocument();
    await user.click(screen.getByLabelText('Edit stage Test'));
    const dialog = await screen.findByRole('dialog', {
      name: 'Edit stage Test',
    });
    fill(within(dialog).getByLabelText(/^Name \*/), 'Unit tests');
    await user.click(
      within(dialog).getByRole('button', { name: 'Save stage' }),
    );
    await user.click(button('Save'));

    expect(updatePipeline).toHaveBeenCalledWith('p1', {
      apiVersion: 'devops.backstage.io/v1',
      kind: 'Pipeline',
      metadata: {
        name: 'deploy-2048-yaml',
        title: 'Jack 2048',
        entityRef: 'component:default/jack-2048',
      },
      spec: {
        // Triggers are not edited here, but a PUT replaces the document.
        triggers: { events: { push: true, merge: false, tag: false } },
        stages: [
          expect.objectContaining({ name: 'Unit tests', order: 'sequential' }),
        ],
      },
      version: 1,
    });
    const conflict = await screen.findByRole('dialog', {
      name: 'Someone else changed this pipeline',
    });

    await user.click(
      within(conflict).getByRole('button', { name: 'Keep editing' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(stageNames()).toEqual(['Stage Unit tests']);

    await user.click(button('Save'));
    await user.click(
      await screen.findByRole('button', {
        name: 'Reload (your changes are lost)',
      }),
    );
    await waitFor(() => expect(stageNames()).toEqual(['Stage Verify']));
    expect(getPipeline).toHaveBeenLastCalledWith('p1');

    await user.click(button('Save'));
    expect(updatePipeline).toHaveBeenLastCalledWith(
      'p1',
      expect.objectContaining({ version: 2 }),
    );
    expect(await screen.findByTestId('location')).toHaveTextContent(
      '/devops/pipelines/p1',
    );
  });

  it('says that a pipeline the policy does not let the user edit cannot be saved', async () => {
    await renderEditor(
      '/devops/pipelines/p1/edit',
      {
        getPipeline: jest
          .fn()
          .mockResolvedValue(makePipeline({ id: 'p1', title: 'Jack 2048' })),
      },
      undefined,
      permissionApiDenying(devopsPipelineUpdatePermission),
    );

    expect(await screen.findByText('Edit Jack 2048')).toBeInTheDocument();
    expect(
      screen.getByText(NOT_ALLOWED.update, { exact: false }),
    ).toHaveTextContent('you can look at it here, but not save changes');
    expect(button('Save')).toBeDisabled();
    expect(button('Save and run')).toBeDisabled();
  });

  it('saves, but does not run, a pipeline the policy does not let the user run', async () => {
    await renderEditor(
      '/devops/pipelines/p1/edit',
      {
        getPipeline: jest
          .fn()
          .mockResolvedValue(makePipeline({ id: 'p1', title: 'Jack 2048' })),
      },
      undefined,
      permissionApiDenying(devopsPipelineExecutePermission),
    );

    expect(await screen.findByText('Edit Jack 2048')).toBeInTheDocument();
    expect(button('Save')).toBeEnabled();
    expect(button('Save and run')).toBeDisabled();
    expect(screen.queryByText(NOT_ALLOWED.update, { exact: false })).toBeNull();
  });

  it('shows what the server refused', async () => {
    const refusal = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: {
            name: 'ConflictError',
            message: 'The portal holds its maximum of 10 pipelines',
          },
          request: { method: 'POST', url: '/pipelines' },
          response: { statusCode: 409 },
        }),
        { status: 409, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    const createPipeline = jest.fn().mockRejectedValue(refusal);
    await renderEditor(
      '/devops/pipelines/new',
      { createPipeline },
      'component:default/a',
    );
    fill(screen.getByLabelText('Pipeline name'), 'a');
    await addScriptTask('Build', 'compile');
    for (const stage of ['Test', 'Deploy']) {
      await openMenuItem(`Actions for stage ${stage}`, 'Delete stage');
    }
    await user.click(button('Save'));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Not saved: The portal holds its maximum of 10 pipelines',
    );
    // A new pipeline's 409 is not a concurrent edit.
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('copies a pipeline without its triggers, asking for its secrets', async () => {
    const original = makePipeline({ id: 'p1', title: 'Jack 2048' });
    original.spec = {
      ...original.spec,
      parameters: [{ name: 'TOKEN', secret: true }],
      triggers: { events: { push: true, merge: false, tag: false } },
      timeoutMinutes: 20,
    };
    const getPipeline = jest.fn().mockResolvedValue(original);
    const createPipeline = jest
      .fn()
      .mockResolvedValue(makePipeline({ id: 'p2' }));
    await renderEditor('/devops/pipelines/new?copyOf=p1', {
      getPipeline,
      createPipeline,
    });

    expect(await screen.findByText('Copy of Jack 2048')).toBeInTheDocument();
    expect(screen.getByLabelText('Pipeline name')).toHaveValue(
      'Jack 2048 (copy)',
    );
    expect(screen.getByLabelText(/^Slug/)).toHaveValue('jack-2048-copy');
    expect(screen.getByLabelText(/^Belongs to/)).toHaveValue(
      'component:default/jack-2048',
    );
    await user.click(button('Save'));
    expect(screen.getByRole('alert')).toHaveTextContent(
      'spec.parameters[0].value: type the value of secret parameter "TOKEN"',
    );

    await user.click(button(/^Parameters/));
    const dialog = await screen.findByRole('dialog', { name: 'Parameters' });
    fill(within(dialog).getByLabelText('Parameter 1 value'), 's3cr3t');
    await user.click(
      within(dialog).getByRole('button', { name: 'Save parameters' }),
    );
    await user.click(button('Save'));
    expect(createPipeline).toHaveBeenCalledWith(
      expect.objectContaining({
        spec: {
          stages: original.spec.stages,
          parameters: [{ name: 'TOKEN', value: 's3cr3t', secret: true }],
          timeoutMinutes: 20,
        },
      }),
    );
  });

  it('undoes and redoes with the keyboard, and resets', async () => {
    await renderEditor('/devops/pipelines/new', {}, 'component:default/a');
    await openMenuItem('Actions for stage Build', 'Delete stage');
    await openMenuItem('Actions for stage Test', 'Copy stage');
    expect(stageNames()).toEqual([
      'Stage Test',
      'Stage Test (copy)',
      'Stage Deploy',
    ]);

    await user.keyboard('{Control>}z{/Control}');
    expect(stageNames()).toEqual(['Stage Test', 'Stage Deploy']);
    await user.keyboard('{Control>}z{/Control}');
    expect(stageNames()).toEqual(['Stage Build', 'Stage Test', 'Stage Deploy']);
    await user.keyboard('{Control>}{Shift>}z{/Shift}{/Control}');
    expect(stageNames()).toEqual(['Stage Test', 'Stage Deploy']);
    await user.keyboard('{Control>}y{/Control}');
    expect(stageNames()).toEqual([
      'Stage Test',
      'Stage Test (copy)',
      'Stage Deploy',
    ]);

    // In a text field, Ctrl+Z is the field's own undo.
    await user.click(screen.getByLabelText('Pipeline name'));
    await user.keyboard('{Control>}z{/Control}');
    expect(stageNames()).toHaveLength(3);

    await user.click(button('Reset'));
    expect(stageNames()).toEqual(['Stage Build', 'Stage Test', 'Stage Deploy']);
    expect(button('Reset')).toBeDisabled();
    await user.click(button('Undo'));
    expect(stageNames()).toHaveLength(3);
    expect(screen.getByText('Unsaved changes')).toBeInTheDocument();
  });

  it('asks before leaving with unsaved changes', async () => {
    await renderEditor('/devops/pipelines/new', {}, 'component:default/a');
    // Nothing changed yet: leaving does not ask.
    await user.click(button('Cancel'));
    expect(await screen.findByTestId('location')).toHaveTextContent('/devops');
  });

  it('holds in-app links and Cancel while changes are unsaved', async () => {
    await renderEditor('/devops/pipelines/new', {}, 'component:default/a');
    await openMenuItem('Actions for stage Build', 'Delete stage');

    await user.click(screen.getByRole('link', { name: 'Catalog' }));
    const ask = await screen.findByRole('dialog', {
      name: 'Leave without saving?',
    });
    await user.click(within(ask).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(screen.queryByTestId('location')).toBeNull();

    await user.click(button('Cancel'));
    await user.click(
      within(
        await screen.findByRole('dialog', { name: 'Leave without saving?' }),
      ).getByRole('button', { name: 'Cancel' }),
    );
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(screen.getByRole('link', { name: 'Catalog' }));
    await user.click(
      within(
        await screen.findByRole('dialog', { name: 'Leave without saving?' }),
      ).getByRole('button', { name: 'Leave' }),
    );
    expect(await screen.findByTestId('location')).toHaveTextContent('/catalog');
  });

  it('asks the browser before unloading with unsaved changes', async () => {
    await renderEditor('/devops/pipelines/new', {}, 'component:default/a');
    const clean = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(clean);
    expect(clean.defaultPrevented).toBe(false);

    await openMenuItem('Actions for stage Build', 'Delete stage');
    const dirty = new Event('beforeunload', { cancelable: true });
    window.dispatchEvent(dirty);
    expect(dirty.defaultPrevented).toBe(true);
  });

  it('refuses to move a task into another stage, saying so', async () => {
    await renderEditor('/devops/pipelines/new', {}, 'component:default/a');
    await addScriptTask('Build', 'compile');
    await openMenuItem('Actions for task compile', 'Copy task');
    await openMenuItem('Actions for task compile (copy)', 'Move task up');
    expect(screen.getByTestId('task-0-0')).toHaveTextContent('compile (copy)');
    expect(screen.getByTestId('task-0-1')).toHaveTextContent('compile');

    // A drag from Build dropped onto Test, as the canvas reports it.
    fireEvent.dragStart(screen.getByTestId('task-0-0'));
    fireEvent.dragOver(screen.getByTestId('stage-1'));
    fireEvent.drop(screen.getByTestId('stage-1'));
    expect(screen.getByRole('status')).toHaveTextContent(
      'Task "compile (copy)" stays in stage "Build": tasks are reordered only within their stage.',
    );
    expect(screen.getByTestId('task-0-0')).toHaveTextContent('compile (copy)');
  });

  it("offers the portal's task types, loaded once for the whole editor", async () => {
    const pipeline = makePipeline({ id: 'p1', title: 'Jack 2048' });
    pipeline.spec.stages[0].tasks.push({
      name: 'check',
      type: 'example:verifyFiles',
      paths: 'README.md',
    });
    const listTaskTypes = jest
      .fn()
      .mockResolvedValue(taskTypeList(verifyFilesType));
    const updatePipeline = jest.fn().mockResolvedValue(pipeline);
    await renderEditor('/devops/pipelines/p1/edit', {
      getPipeline: async () => pipeline,
      listTaskTypes,
      updatePipeline,
    });

    expect(await screen.findByText('Edit Jack 2048')).toBeInTheDocument();
    await waitFor(() =>
      expect(screen.getByTestId('task-0-1')).toHaveTextContent(
        'checkVerify files',
      ),
    );
    await user.click(screen.getByLabelText('Add task to Test'));
    let dialog = await screen.findByRole('dialog', {
      name: 'Add task to Test',
    });
    expect(
      within(dialog).getByRole('option', { name: 'Verify files' }),
    ).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await user.click(screen.getByLabelText('Edit task check'));
    dialog = await screen.findByRole('dialog', { name: 'Edit task check' });
    fill(within(dialog).getByLabelText(/^Files \*/), 'README.md\nLICENSE');
    await user.click(within(dialog).getByRole('button', { name: 'Save task' }));
    await user.click(button('Save'));
    await waitFor(() => expect(updatePipeline).toHaveBeenCalled());
    expect(updatePipeline.mock.calls[0][1].spec.stages[0].tasks[1]).toEqual({
      name: 'check',
      type: 'example:verifyFiles',
      paths: 'README.md\nLICENSE',
      failFast: false,
    });
    expect(listTaskTypes).toHaveBeenCalledTimes(1);
  });
});

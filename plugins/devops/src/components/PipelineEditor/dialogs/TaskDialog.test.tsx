import type { Task } from '@devops-pipelines/plugin-devops-common';
import {
  fireEvent,
  render,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  taskTypeList,
  verifyFilesType,
} from '../../../__testUtils__/taskTypes';
import { BUILT_IN_TASK_TYPE_INFOS, type TaskTypes } from '../useTaskTypes';
import { TaskDialog } from './TaskDialog';

jest.setTimeout(30_000);

function renderDialog(task?: Task, takenNames: string[] = []) {
  const onSave = jest.fn();
  render(
    <TaskDialog
      stageName="Build"
      task={task}
      takenNames={takenNames}
      onSave={onSave}
      onClose={jest.fn()}
    />,
  );
  return { onSave };
}

const field = (label: RegExp) => screen.getByLabelText(label);
const fill = (label: RegExp, value: string) =>
  fireEvent.change(field(label), { target: { value } });
/** The values a field's datalist suggests (`task-<key>-suggestions`). */
const options = (id: string) =>
  [...document.querySelectorAll(`#${id} option`)].map(o =>
    o.getAttribute('value'),
  );

describe('TaskDialog', () => {
  it('says at each empty field what is missing, with the schema messages', async () => {
    const { onSave } = renderDialog();
    expect(
      screen.getByRole('dialog', { name: 'Add task to Build' }),
    ).toBeVisible();
    // Before a save is tried, fields carry their hints, not errors.
    expect(field(/^Image tag/)).toHaveAccessibleDescription(
      'Accepts ${VAR} references, e.g. ${BUILD_ID}',
    );
    expect(field(/^Script/)).toHaveAccessibleDescription(
      expect.stringContaining('the shell expands ${BUILD_ID}'),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Add task' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(field(/^Name \*/)).toHaveAccessibleDescription(
      'a task name is required',
    );
    expect(field(/^Image \*/)).toHaveAccessibleDescription(
      'an image is required',
    );
    expect(field(/^Image tag/)).toHaveAccessibleDescription(
      'an image tag is required',
    );
    expect(field(/^Script/)).toHaveAccessibleDescription(
      'a script is required',
    );

    // Once checked, fields are checked again as they change.
    fill(/^Image \*/, 'node');
    expect(field(/^Image \*/)).toHaveAccessibleDescription(
      /^The container image the script runs in on Kubernetes \(the local executor runs it on the backend's host and does not use it\)/,
    );
  });

  it.each([
    [
      'buildImage',
      [
        'Dockerfile path',
        'Image name',
        'Image tag',
        'Workspace (registry project)',
      ],
    ],
    ['deployYaml', ['YAML file path', 'Cluster', 'Namespace']],
    [
      'publishChart',
      ['Chart directory (holds Chart.yaml)', 'Chart name', 'Chart version'],
    ],
    [
      'deployChart',
      ['Release name', 'Chart name', 'Chart version', 'Cluster', 'Namespace'],
    ],
  ])('shows the fields of %s, keeping the name', async (type, labels) => {
    renderDialog();
    fill(/^Name \*/, 'step');
    await userEvent.selectOptions(field(/^Task type/), type);
    for (const label of labels) {
      expect(
        screen.getByLabelText(new RegExp(`^${escape(label)} \\*`)),
      ).toBeVisible();
    }
    expect(field(/^Name \*/)).toHaveValue('step');
    expect(screen.queryByLabelText(/^Script/)).toBeNull();
  });

  it('adds a Deploy YAML task with its checkbox', async () => {
    const { onSave } = renderDialog();
    await userEvent.selectOptions(field(/^Task type/), 'deployYaml');
    fill(/^Name \*/, 'deploy');
    fill(/^YAML file path/, '2048_env.yaml');
    fill(/^Cluster/, 'prod');
    fill(/^Namespace/, 'web-${GIT_BRANCH}');
    await userEvent.click(
      screen.getByLabelText('Create the namespace if it is missing'),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }));
    expect(onSave).toHaveBeenCalledWith({
      name: 'deploy',
      type: 'deployYaml',
      file: '2048_env.yaml',
      cluster: 'prod',
      namespace: 'web-${GIT_BRANCH}',
      createNamespace: true,
    });
  });

  it('edits a script task with environment variables, checking their names', async () => {
    const task: Task = {
      name: 'compile',
      type: 'runScript',
      image: 'node',
      tag: '22',
      script: 'npm run build',
    };
    const { onSave } = renderDialog(task, ['package']);
    expect(
      screen.getByRole('dialog', { name: 'Edit task compile' }),
    ).toBeVisible();
    expect(field(/^Image \*/)).toHaveValue('node');

    await userEvent.click(screen.getByRole('button', { name: 'Add variable' }));
    fill(/^Variable 1 name/, '1CI');
    fill(/^Variable 1 value/, 'true');
    fill(/^Name \*/, 'package');
    await userEvent.click(screen.getByRole('button', { name: 'Save task' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(field(/^Name \*/)).toHaveAccessibleDescription(
      'another task in this stage is already named "package"',
    );
    expect(field(/^Variable 1 name/)).toHaveAccessibleDescription(
      'must start with a letter or "_" and hold only letters, digits and "_"',
    );

    fill(/^Name \*/, 'compile');
    fill(/^Variable 1 name/, 'CI');
    await userEvent.click(screen.getByRole('button', { name: 'Save task' }));
    expect(onSave).toHaveBeenCalledWith({
      ...task,
      env: [{ name: 'CI', value: 'true' }],
    });
  });

  it('reads the chart values of a Deploy chart task as JSON', async () => {
    const { onSave } = renderDialog();
    await userEvent.selectOptions(field(/^Task type/), 'deployChart');
    fill(/^Name \*/, 'release');
    fill(/^Release name/, 'nginx');
    fill(/^Chart name/, 'nginx');
    fill(/^Chart version/, '6.0.1-alpha.${BUILD_ID}');
    fill(/^Cluster/, 'prod');
    fill(/^Namespace/, 'web');
    fill(/^Parameters/, 'replicaCount: 2');
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }));
    expect(field(/^Parameters/)).toHaveAccessibleDescription(
      'must be a JSON object, e.g. {"replicaCount": 2}',
    );
    fill(/^Parameters/, '{"replicaCount": 2}');
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }));
    expect(onSave).toHaveBeenCalledWith(
      expect.objectContaining({ values: { replicaCount: 2 } }),
    );
  });
});

describe('TaskDialog chart suggestions', () => {
  it('offers the charts published earlier to a Deploy chart task', async () => {
    render(
      <TaskDialog
        stageName="Deploy"
        takenNames={[]}
        publishedCharts={[
          { chart: 'nginx', version: '6.0.1-alpha.${BUILD_ID}' },
          { chart: 'redis', version: '7.0.0' },
        ]}
        onSave={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    await userEvent.selectOptions(field(/^Task type/), 'deployChart');
    expect(field(/^Chart name/)).toHaveAttribute(
      'list',
      'task-chart-suggestions',
    );
    expect(options('task-chart-suggestions')).toEqual(['nginx', 'redis']);
    fill(/^Chart name/, 'nginx');
    expect(options('task-version-suggestions')).toEqual([
      '6.0.1-alpha.${BUILD_ID}',
    ]);
  });

  it('asks for CPU and memory for pod tasks, and says at the field what is wrong', async () => {
    const { onSave } = renderDialog({
      name: 'test',
      type: 'runScript',
      image: 'node',
      tag: '22',
      script: 'npm test',
    });
    fill(/^Memory limit/, '1Gi');
    fill(/^CPU request/, 'half');
    await userEvent.click(screen.getByRole('button', { name: 'Save task' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(field(/^CPU request/)).toHaveAccessibleDescription(
      'must be a Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 1Gi (memory)',
    );

    fill(/^CPU request/, '500m');
    await userEvent.click(screen.getByRole('button', { name: 'Save task' }));
    expect(onSave).toHaveBeenCalledWith(
      expect.objectContaining({
        resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
      }),
    );
  });

  it('offers no resources for Deploy YAML, which runs in the backend', () => {
    renderDialog({
      name: 'apply',
      type: 'deployYaml',
      file: 'deploy.yaml',
      cluster: 'dev',
      namespace: 'web',
    });
    expect(screen.queryByLabelText(/^Memory limit/)).toBeNull();
  });

  it("suggests the portal's images for Run script, and the tags of the one typed", () => {
    render(
      <TaskDialog
        stageName="Build"
        takenNames={[]}
        suggestedImages={[
          { image: 'node', tags: ['22-alpine', '20-alpine'] },
          { image: 'python', tags: ['3.12-slim'] },
        ]}
        onSave={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    expect(options('task-image-suggestions')).toEqual(['node', 'python']);
    fill(/^Image \*/, 'node');
    expect(options('task-tag-suggestions')).toEqual(['22-alpine', '20-alpine']);
  });

  describe('deploy targets', () => {
    const deployTask: Task = {
      name: 'apply',
      type: 'deployYaml',
      file: 'deploy.yaml',
      cluster: '',
      namespace: '',
    };
    const renderWith = (deployTargets: object) =>
      render(
        <TaskDialog
          stageName="Deploy"
          task={deployTask}
          takenNames={[]}
          deployTargets={deployTargets}
          onSave={jest.fn()}
          onClose={jest.fn()}
        />,
      );
    it('suggests the clusters the pipeline may deploy to, and their namespaces', () => {
      renderWith({
        items: [
          { cluster: 'dev', bound: true },
          { cluster: 'staging', namespaces: ['web-*', 'web-shop'] },
        ],
      });
      expect(
        screen.getByText(
          'It may deploy to dev (its binding), staging (namespaces web-*, web-shop).',
        ),
      ).toBeInTheDocument();
      expect(options('task-cluster-suggestions')).toEqual(['dev', 'staging']);
      fill(/^Cluster/, 'staging');
      // A pattern is no name to pick.
      expect(options('task-namespace-suggestions')).toEqual(['web-shop']);
    });

    it('says where it may deploy to nowhere, and why nothing is suggested when loading failed', () => {
      const { unmount } = renderWith({ items: [] });
      expect(
        screen.getByText(
          /may deploy to no cluster yet: bind one for its project/,
        ),
      ).toBeInTheDocument();
      unmount();
      renderWith({ error: '503 Service Unavailable' });
      expect(
        screen.getByText(
          /could not be loaded \(503 Service Unavailable\); type the cluster's and namespace's names/,
        ),
      ).toBeInTheDocument();
    });

    it("suggests the namespaces the cluster lists, once a target's name is typed", async () => {
      const namespaces = jest.fn(async (cluster: string) =>
        cluster === 'dev'
          ? { namespaces: ['shop', 'blog'] }
          : {
              namespaces: [],
              unavailable: `The namespaces of cluster ${cluster} could not be listed: the portal's account may not list them (403 Forbidden)`,
            },
      );
      const lookups = { namespaces, chartVersions: jest.fn() };
      render(
        <TaskDialog
          stageName="Deploy"
          task={deployTask}
          takenNames={[]}
          deployTargets={{
            items: [
              { cluster: 'dev', bound: true },
              { cluster: 'staging', namespaces: ['web-shop'] },
            ],
          }}
          lookups={lookups}
          onSave={jest.fn()}
          onClose={jest.fn()}
        />,
      );
      // A name that is no target is not asked about.
      fill(/^Cluster/, 'de');
      fill(/^Cluster/, 'dev');
      expect(field(/^Namespace/)).toHaveAccessibleDescription(
        'Loading the namespaces of cluster dev…',
      );
      await waitFor(() =>
        expect(options('task-namespace-suggestions')).toEqual(['shop', 'blog']),
      );
      expect(namespaces.mock.calls).toEqual([['dev']]);

      // Where the cluster may not be asked, its names from the configuration stay.
      fill(/^Cluster/, 'staging');
      await waitFor(() =>
        expect(field(/^Namespace/)).toHaveAccessibleDescription(
          "The namespaces of cluster staging could not be listed: the portal's account may not list them (403 Forbidden); type the namespace's name.",
        ),
      );
      expect(options('task-namespace-suggestions')).toEqual(['web-shop']);
    });
  });

  it("suggests the chart repository's versions of the chart typed, and says why when it cannot", async () => {
    const chartVersions = jest.fn(async (chart: string) => {
      if (chart === 'nginx') return { versions: ['6.1.0', '6.0.0'] };
      throw new Error('503 Service Unavailable');
    });
    render(
      <TaskDialog
        stageName="Deploy"
        takenNames={[]}
        publishedCharts={[
          { chart: 'nginx', version: '6.2.0-alpha.${BUILD_ID}' },
        ]}
        lookups={{ namespaces: jest.fn(), chartVersions }}
        onSave={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    await userEvent.selectOptions(field(/^Task type/), 'deployChart');
    fill(/^Chart name/, 'nginx');
    await waitFor(() =>
      expect(options('task-version-suggestions')).toEqual([
        '6.2.0-alpha.${BUILD_ID}',
        '6.1.0',
        '6.0.0',
      ]),
    );
    // A variable is no chart name to ask the repository about.
    fill(/^Chart name/, '${CHART}');
    fill(/^Chart name/, 'redis');
    await waitFor(() =>
      expect(field(/^Chart version/)).toHaveAccessibleDescription(
        'The versions of chart redis could not be loaded (503 Service Unavailable); type the version.',
      ),
    );
    expect(chartVersions.mock.calls).toEqual([['nginx'], ['redis']]);
  });
});

describe("TaskDialog with the portal's task types", () => {
  const loaded: TaskTypes = {
    items: taskTypeList(verifyFilesType).items,
    loading: false,
  };
  const renderWith = (taskTypes: TaskTypes, task?: Task) => {
    const onSave = jest.fn();
    const view = render(
      <TaskDialog
        stageName="Test"
        task={task}
        takenNames={[]}
        taskTypes={taskTypes}
        onSave={onSave}
        onClose={jest.fn()}
      />,
    );
    return { onSave, ...view };
  };
  const typeTitles = () =>
    within(field(/^Task type/))
      .getAllByRole('option')
      .map(option => option.textContent);

  it("offers the built-in types, then the modules' types, with the chosen one's description", async () => {
    renderWith(loaded);
    expect(typeTitles()).toEqual([
      'Run script',
      'Build and push image',
      'Deploy YAML',
      'Build and publish chart',
      'Deploy chart',
      'Verify files',
    ]);
    await userEvent.selectOptions(field(/^Task type/), 'example:verifyFiles');
    expect(field(/^Task type/)).toHaveAccessibleDescription(
      'Fails when a listed file is missing from the checked-out source',
    );
  });

  it("asks for a module type's fields as its schema describes them", async () => {
    renderWith(loaded);
    await userEvent.selectOptions(field(/^Task type/), 'example:verifyFiles');
    const paths = field(/^Files \*/);
    expect(paths.tagName).toBe('TEXTAREA');
    expect(paths).toBeRequired();
    expect(paths).toHaveAttribute('placeholder', 'e.g. README.md');
    expect(paths).toHaveAccessibleDescription(
      'One path per line, relative to the repository root',
    );
    const failFast = screen.getByRole('checkbox', {
      name: 'Stop at the first missing file',
    });
    expect(failFast).not.toBeChecked();
    // Its tasks run in a pod: they may ask for CPU and memory.
    expect(field(/^Memory limit/)).toBeVisible();
    expect(screen.queryByLabelText(/^Script/)).toBeNull();
  });

  it('says at the field what is missing, then saves the flat task', async () => {
    const { onSave } = renderWith(loaded);
    await userEvent.selectOptions(field(/^Task type/), 'example:verifyFiles');
    fill(/^Name \*/, 'check');
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }));
    expect(onSave).not.toHaveBeenCalled();
    expect(field(/^Files \*/)).toHaveAccessibleDescription('Files is required');

    fill(/^Files \*/, 'README.md');
    await userEvent.click(
      screen.getByRole('checkbox', { name: 'Stop at the first missing file' }),
    );
    await userEvent.click(screen.getByRole('button', { name: 'Add task' }));
    expect(onSave).toHaveBeenCalledWith({
      name: 'check',
      type: 'example:verifyFiles',
      paths: 'README.md',
      failFast: true,
    });
  });

  it("still offers the built-in types when the modules' could not be loaded, saying why", () => {
    renderWith({
      items: BUILT_IN_TASK_TYPE_INFOS,
      loading: false,
      error: '503 Service Unavailable',
    });
    expect(
      screen.getByText(
        "Task types of the portal's modules could not be loaded: 503 Service Unavailable",
      ),
    ).toBeVisible();
    expect(typeTitles()).toEqual([
      'Run script',
      'Build and push image',
      'Deploy YAML',
      'Build and publish chart',
      'Deploy chart',
    ]);
  });

  it('keeps a task whose type the portal has no more exactly as it is', async () => {
    const task: Task = {
      name: 'scan',
      type: 'acme:scan',
      targets: ['api', 'web'],
      strict: true,
      resources: { limits: { memory: '2Gi' } },
    };
    const { onSave } = renderWith(loaded, task);
    expect(field(/^Task type/)).toHaveValue('acme:scan');
    expect(field(/^Task type/)).toHaveAccessibleDescription(
      'This portal has no task type acme:scan; the pipeline keeps the task as it is',
    );
    expect(
      JSON.parse((field(/^Its fields/) as HTMLTextAreaElement).value),
    ).toEqual({
      targets: ['api', 'web'],
      strict: true,
      resources: { limits: { memory: '2Gi' } },
    });
    expect(screen.queryByLabelText(/^Memory limit/)).toBeNull();

    await userEvent.click(screen.getByRole('button', { name: 'Save task' }));
    expect(onSave).toHaveBeenCalledWith(task);
  });

  it("shows a module task's fields once the portal's types have loaded", () => {
    const task: Task = {
      name: 'check',
      type: 'example:verifyFiles',
      paths: 'README.md\nLICENSE',
      failFast: true,
    };
    const { rerender } = renderWith(
      { items: BUILT_IN_TASK_TYPE_INFOS, loading: true },
      task,
    );
    expect(field(/^Task type/)).toHaveAccessibleDescription(
      "Loading the task types of the portal's modules…",
    );
    rerender(
      <TaskDialog
        stageName="Test"
        task={task}
        takenNames={[]}
        taskTypes={loaded}
        onSave={jest.fn()}
        onClose={jest.fn()}
      />,
    );
    expect(field(/^Task type/)).toHaveValue('example:verifyFiles');
    expect(field(/^Files \*/)).toHaveValue('README.md\nLICENSE');
    expect(
      screen.getByRole('checkbox', { name: 'Stop at the first missing file' }),
    ).toBeChecked();
  });
});

function escape(text: string) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

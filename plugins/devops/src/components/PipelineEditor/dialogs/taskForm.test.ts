import {
  buildImageTaskSchema,
  deployChartTaskSchema,
  deployYamlTaskSchema,
  publishChartTaskSchema,
  runScriptTaskSchema,
  TASK_TYPES,
  type Task,
} from '@devops-pipelines/plugin-devops-common';
import {
  TASK_FIELDS,
  formOfTask,
  validateTaskForm,
  type TaskForm,
} from './taskForm';

const SCHEMAS = {
  runScript: runScriptTaskSchema,
  buildImage: buildImageTaskSchema,
  deployYaml: deployYamlTaskSchema,
  publishChart: publishChartTaskSchema,
  deployChart: deployChartTaskSchema,
};
/** Fields the dialog edits with controls of their own rather than a text field. */
const SPECIAL_FIELDS = [
  'name',
  'type',
  'env',
  'createNamespace',
  'values',
  'resources',
];

const form = (overrides: Partial<TaskForm>): TaskForm => ({
  ...formOfTask(),
  ...overrides,
});

describe('task form', () => {
  it.each(TASK_TYPES)('has a text field for each field of %s', type => {
    const schemaKeys = Object.keys(SCHEMAS[type].shape).filter(
      key => !SPECIAL_FIELDS.includes(key),
    );
    expect(TASK_FIELDS[type].map(f => f.key).sort()).toEqual(schemaKeys.sort());
  });

  it('turns a filled form into the task the schema accepts', () => {
    const { task, errors } = validateTaskForm(
      form({
        type: 'runScript',
        name: ' unit-tests ',
        fields: { image: 'node', tag: '22-alpine', script: 'npm test' },
        env: [{ name: 'CI', value: 'true' }],
      }),
      [],
    );
    expect(errors).toEqual({ fields: {}, env: {}, other: [] });
    expect(task).toEqual({
      name: 'unit-tests',
      type: 'runScript',
      image: 'node',
      tag: '22-alpine',
      script: 'npm test',
      env: [{ name: 'CI', value: 'true' }],
    });
  });

  it('names each missing field with the message of the schema', () => {
    const { task, errors } = validateTaskForm(form({ type: 'buildImage' }), []);
    expect(task).toBeUndefined();
    expect(errors.fields).toEqual({
      name: 'a task name is required',
      dockerfile: 'a Dockerfile path is required',
      image: 'an image name is required',
      tag: 'an image tag is required',
      workspace: 'a registry workspace is required',
    });
  });

  it('puts problems of environment variables on their row', () => {
    const { errors } = validateTaskForm(
      form({
        name: 'test',
        fields: { image: 'node', tag: '22', script: 'true' },
        env: [
          { name: 'OK', value: '1' },
          { name: '1BAD', value: '' },
        ],
      }),
      [],
    );
    expect(errors.env).toEqual({
      1: {
        name: 'must start with a letter or "_" and hold only letters, digits and "_"',
      },
    });
  });

  it('refuses a name another task of the stage has', () => {
    const { errors } = validateTaskForm(
      form({
        name: 'compile',
        fields: { image: 'node', tag: '22', script: 'true' },
      }),
      ['compile'],
    );
    expect(errors.fields.name).toBe(
      'another task in this stage is already named "compile"',
    );
  });

  it('reads chart values as a JSON object', () => {
    const fields = {
      release: 'nginx',
      chart: 'nginx',
      version: '1.0.0',
      cluster: 'prod',
      namespace: 'web',
    };
    const good = validateTaskForm(
      form({
        type: 'deployChart',
        name: 'release',
        fields,
        values: '{"replicaCount": 2}',
      }),
      [],
    );
    expect(good.task).toMatchObject({ values: { replicaCount: 2 } });
    const bad = validateTaskForm(
      form({ type: 'deployChart', name: 'release', fields, values: '[1]' }),
      [],
    );
    expect(bad.errors.fields.values).toBe(
      'must be a JSON object, e.g. {"replicaCount": 2}',
    );
  });

  it('keeps createNamespace only when it is asked for', () => {
    const fields = { file: 'a.yaml', cluster: 'prod', namespace: 'web' };
    expect(
      validateTaskForm(form({ type: 'deployYaml', name: 'd', fields }), [])
        .task,
    ).not.toHaveProperty('createNamespace');
    expect(
      validateTaskForm(
        form({ type: 'deployYaml', name: 'd', fields, createNamespace: true }),
        [],
      ).task,
    ).toMatchObject({ createNamespace: true });
    // Deploy chart has the option too (SPEC §1).
    const chart = {
      release: 'web',
      chart: 'nginx',
      version: '1.0.0',
      cluster: 'prod',
      namespace: 'web',
    };
    expect(
      validateTaskForm(
        form({
          type: 'deployChart',
          name: 'c',
          fields: chart,
          createNamespace: true,
        }),
        [],
      ).task,
    ).toMatchObject({ createNamespace: true });
  });

  it('gives back every field of an existing task', () => {
    const task: Task = {
      name: 'release',
      type: 'deployChart',
      release: 'nginx',
      chart: 'nginx',
      version: '6.0.1-alpha.${BUILD_ID}',
      cluster: 'prod',
      namespace: 'web',
      values: { replicaCount: 2 },
      resources: { requests: { cpu: '250m' }, limits: { memory: '1Gi' } },
    };
    const roundTrip = validateTaskForm(formOfTask(task), []);
    expect(roundTrip.task).toEqual(task);
  });

  it('asks for the resources typed, and says at the field what is not a quantity', () => {
    const fields = { image: 'node', tag: '22', script: 'npm test' };
    expect(
      validateTaskForm(
        form({
          name: 't',
          fields,
          resources: { 'limits.memory': ' 512Mi ', 'requests.cpu': '' },
        }),
        [],
      ).task?.resources,
    ).toEqual({ limits: { memory: '512Mi' } });
    expect(
      validateTaskForm(form({ name: 't', fields }), []).task,
    ).not.toHaveProperty('resources');
    expect(
      validateTaskForm(
        form({ name: 't', fields, resources: { 'limits.memory': 'a lot' } }),
        [],
      ).errors.fields,
    ).toEqual({
      'resources.limits.memory':
        'must be a Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 1Gi (memory)',
    });
  });
});

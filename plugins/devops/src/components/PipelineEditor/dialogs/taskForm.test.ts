import {
  buildImageTaskSchema,
  deployChartTaskSchema,
  deployYamlTaskSchema,
  publishChartTaskSchema,
  runScriptTaskSchema,
  BUILT_IN_TASK_TYPES,
  type Task,
  type TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import { verifyFilesType } from '../../../__testUtils__/taskTypes';
import {
  TASK_FIELDS,
  formOfTask,
  formWithType,
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
  it.each(BUILT_IN_TASK_TYPES)(
    'has a text field for each field of %s',
    type => {
      const schemaKeys = Object.keys(SCHEMAS[type].shape).filter(
        key => !SPECIAL_FIELDS.includes(key),
      );
      expect(TASK_FIELDS[type].map(f => f.key).sort()).toEqual(
        schemaKeys.sort(),
      );
    },
  );

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

/** A module's type with one field of each kind and the checks the dialog makes. */
const releaseNotesType: TaskTypeInfo = {
  type: 'example:releaseNotes',
  title: 'Release notes',
  description: 'Writes the release notes of the run',
  fieldsSchema: {
    type: 'object',
    properties: {
      channel: { type: 'string', enum: ['stable', 'beta'] },
      maxEntries: { type: 'integer', minimum: 1, title: 'Entries at most' },
      ratio: { type: 'number', exclusiveMinimum: 0, maximum: 1 },
      heading: {
        type: 'string',
        minLength: 3,
        maxLength: 10,
        default: 'Changes',
      },
      ticket: { type: 'string', pattern: '^[A-Z]+-[0-9]+$' },
      draft: { type: 'boolean', default: true },
    },
    required: ['channel', 'maxEntries'],
    additionalProperties: false,
  },
  executors: ['kubernetes'],
  podResources: false,
  builtIn: false,
};

describe("task form of a module's task type", () => {
  const verifyFiles: Task = {
    name: 'check',
    type: 'example:verifyFiles',
    paths: 'README.md',
    failFast: true,
  };

  it('gives back the flat task, its booleans kept', () => {
    expect(
      validateTaskForm(formOfTask(verifyFiles), [], verifyFilesType).task,
    ).toEqual(verifyFiles);
    const unticked = formOfTask({ ...verifyFiles, failFast: false });
    expect(validateTaskForm(unticked, [], verifyFilesType).task).toMatchObject({
      failFast: false,
    });
  });

  it("says at the field what its type's schema refuses", () => {
    const { task, errors } = validateTaskForm(
      form({
        ...formWithType(form({ name: 'notes' }), releaseNotesType),
        fields: {
          channel: 'nightly',
          maxEntries: '2.5',
          ratio: '2',
          heading: 'Everything that changed',
          ticket: 'devops 12',
        },
      }),
      [],
      releaseNotesType,
    );
    expect(task).toBeUndefined();
    expect(errors.fields).toEqual({
      channel: 'must be one of stable, beta',
      maxEntries: 'must be a whole number',
      ratio: 'must be at most 1',
      heading: 'must NOT have more than 10 characters',
      ticket: 'must match pattern "^[A-Z]+-[0-9]+$"',
    });
    const tooSmall = validateTaskForm(
      form({
        ...formWithType(form({ name: 'notes' }), releaseNotesType),
        fields: { channel: 'beta', maxEntries: '0', ratio: '0', heading: 'Hi' },
      }),
      [],
      releaseNotesType,
    );
    expect(tooSmall.errors.fields).toEqual({
      maxEntries: 'must be at least 1',
      ratio: 'must be more than 0',
      heading: 'must NOT have fewer than 3 characters',
    });

    const missing = validateTaskForm(
      formWithType(form({ name: 'notes' }), releaseNotesType),
      [],
      releaseNotesType,
    );
    expect(missing.errors.fields).toEqual({
      channel: 'channel is required',
      maxEntries: 'Entries at most is required',
    });
    const notANumber = validateTaskForm(
      form({
        ...formWithType(form({ name: 'notes' }), releaseNotesType),
        fields: { channel: 'beta', maxEntries: 'many' },
      }),
      [],
      releaseNotesType,
    );
    expect(notANumber.errors.fields).toEqual({
      maxEntries: 'must be a number',
    });
  });

  it('parses numbers, starts with the defaults and leaves empty optional fields out', () => {
    const chosen = formWithType(
      form({ name: 'notes', fields: { image: 'node' } }),
      releaseNotesType,
    );
    expect(chosen.fields).toEqual({
      channel: '',
      maxEntries: '',
      ratio: '',
      heading: 'Changes',
      ticket: '',
    });
    expect(chosen.checkboxes).toEqual({ draft: true });
    const { task } = validateTaskForm(
      {
        ...chosen,
        fields: { ...chosen.fields, channel: 'beta', maxEntries: ' 20 ' },
        // No pod: resources typed for another type are not asked for.
        resources: { 'limits.memory': '1Gi' },
      },
      [],
      releaseNotesType,
    );
    expect(task).toEqual({
      name: 'notes',
      type: 'example:releaseNotes',
      channel: 'beta',
      maxEntries: 20,
      heading: 'Changes',
      draft: true,
    });
  });

  it('names a property no field shows, and leaves a schema it cannot compile to the backend', () => {
    const withSchema = (fieldsSchema: Record<string, unknown>) => ({
      ...verifyFilesType,
      fieldsSchema: {
        ...verifyFilesType.fieldsSchema,
        ...fieldsSchema,
      },
    });
    const requiresToken = withSchema({ required: ['paths', 'token'] });
    expect(
      validateTaskForm(formOfTask(verifyFiles), [], requiresToken).errors,
    ).toEqual({ fields: {}, env: {}, other: ['token is required'] });

    const unreadable = withSchema({
      properties: { paths: { type: 'string', pattern: '(' } },
    });
    expect(
      validateTaskForm(
        { ...formOfTask(verifyFiles), fields: { paths: '' } },
        [],
        unreadable,
      ),
    ).toEqual({
      task: { name: 'check', type: 'example:verifyFiles' },
      errors: { fields: {}, env: {}, other: [] },
    });
  });

  it('keeps what was typed in a field of the same key when the type changes', () => {
    const typed = form({ name: 'check', fields: { paths: 'a\nb' } });
    expect(formWithType(typed, verifyFilesType)).toMatchObject({
      type: 'example:verifyFiles',
      fields: { paths: 'a\nb' },
      checkboxes: { failFast: false },
    });
    expect(
      formWithType(formOfTask(verifyFiles), {
        ...verifyFilesType,
        type: 'runScript',
        builtIn: true,
      }).fields,
    ).toEqual({ image: '', tag: '', script: '' });
  });

  it('asks for the resources of a type with a pod', () => {
    const { task } = validateTaskForm(
      form({
        ...formOfTask(verifyFiles),
        resources: { 'requests.cpu': '250m' },
      }),
      [],
      verifyFilesType,
    );
    expect(task?.resources).toEqual({ requests: { cpu: '250m' } });
  });

  it('keeps every field of a task whose type the portal lacks, as it was', () => {
    const task: Task = {
      name: 'scan',
      type: 'acme:scan',
      targets: ['api', 'web'],
      options: { depth: 3 },
      strict: true,
      resources: { limits: { memory: '2Gi' } },
    };
    const kept = formOfTask(task);
    expect(validateTaskForm(kept, [], undefined).task).toEqual(task);
    expect(
      validateTaskForm({ ...kept, name: 'deep-scan' }, [], undefined).task,
    ).toEqual({ ...task, name: 'deep-scan' });
  });
});

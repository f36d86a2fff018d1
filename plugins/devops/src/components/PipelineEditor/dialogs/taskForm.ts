import {
  isBuiltInTaskType,
  taskSchema,
  type BuiltInTaskType,
  type Task,
  type TaskResources,
  type TaskType,
  type TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import {
  initialChecked,
  initialText,
  moduleFieldProblems,
  moduleFieldsOf,
  readModuleText,
} from './moduleFields';

/** A text field of a built-in task type, as the task dialog shows it (SPEC §4). */
export type TaskField = {
  key: string;
  label: string;
  example?: string;
  /** Replaces the usual `${VAR}` hint where the field is used differently. */
  hint?: string;
  multiline?: boolean;
  /**
   * Offers the charts published earlier in the pipeline, or the clusters and namespaces
   * the pipeline may deploy to; any other value may still be typed.
   */
  suggests?: 'chart' | 'version' | 'cluster' | 'namespace' | 'image' | 'tag';
};

export const VARIABLES_HINT = 'Accepts ${VAR} references, e.g. ${BUILD_ID}';

export const TASK_FIELDS: Record<BuiltInTaskType, TaskField[]> = {
  runScript: [
    {
      key: 'image',
      label: 'Image',
      example: 'node',
      suggests: 'image',
      hint: "The container image the script runs in on Kubernetes (the local executor runs it on the backend's host and does not use it). Accepts ${VAR} references",
    },
    { key: 'tag', label: 'Image tag', example: '22-alpine', suggests: 'tag' },
    {
      key: 'script',
      label: 'Script',
      multiline: true,
      hint: 'Runs in the checked-out source. Variables are environment variables here: the shell expands ${BUILD_ID}; write NAME=value lines to "$DEVOPS_OUTPUT" to pass values to later tasks',
    },
  ],
  buildImage: [
    { key: 'dockerfile', label: 'Dockerfile path', example: 'Dockerfile' },
    { key: 'image', label: 'Image name', example: 'jack-2048' },
    { key: 'tag', label: 'Image tag', example: 'alpha-${BUILD_ID}' },
    {
      key: 'workspace',
      label: 'Workspace (registry project)',
      example: 'devops',
    },
  ],
  deployYaml: [
    { key: 'file', label: 'YAML file path', example: 'deploy/2048.yaml' },
    { key: 'cluster', label: 'Cluster', suggests: 'cluster' },
    { key: 'namespace', label: 'Namespace', suggests: 'namespace' },
  ],
  publishChart: [
    {
      key: 'chartPath',
      label: 'Chart directory (holds Chart.yaml)',
      example: 'charts/nginx',
    },
    { key: 'chart', label: 'Chart name', example: 'nginx' },
    {
      key: 'version',
      label: 'Chart version',
      example: '6.0.1-alpha.${BUILD_ID}',
    },
  ],
  deployChart: [
    { key: 'release', label: 'Release name', example: 'nginx' },
    { key: 'chart', label: 'Chart name', example: 'nginx', suggests: 'chart' },
    {
      key: 'version',
      label: 'Chart version',
      suggests: 'version',
      example: '6.0.1-alpha.${BUILD_ID}',
      hint: 'An existing version, or one published earlier in this pipeline. Accepts ${VAR} references',
    },
    { key: 'cluster', label: 'Cluster', suggests: 'cluster' },
    { key: 'namespace', label: 'Namespace', suggests: 'namespace' },
  ],
};

export type EnvRow = { name: string; value: string };

/** A resource field of the dialog: `requests.cpu`, `limits.memory`, ... */
export type ResourceKey = `${'requests' | 'limits'}.${'cpu' | 'memory'}`;

/** The resource fields, as the dialog lays them out. */
export const RESOURCE_FIELDS: {
  key: ResourceKey;
  label: string;
  example: string;
}[] = [
  { key: 'requests.cpu', label: 'CPU request', example: '500m' },
  { key: 'limits.cpu', label: 'CPU limit', example: '2' },
  { key: 'requests.memory', label: 'Memory request', example: '256Mi' },
  { key: 'limits.memory', label: 'Memory limit', example: '1Gi' },
];

/** Backend tasks (Deploy YAML) run in the backend: no pod, so no resources to ask. */
export const hasPodResources = (type: BuiltInTaskType) => type !== 'deployYaml';

/**
 * Whether the dialog asks for CPU and memory: as ever for a built-in type, as the
 * portal says for a module's (`info`, undefined when the portal has no such type).
 */
export const asksForResources = (type: TaskType, info?: TaskTypeInfo) =>
  isBuiltInTaskType(type) ? hasPodResources(type) : Boolean(info?.podResources);

/** The dialog's fields as typed: text, whatever the task type makes of them. */
export type TaskForm = {
  type: TaskType;
  name: string;
  /** Text fields by key: a built-in type's, and a module type's strings and numbers. */
  fields: Record<string, string>;
  /** A module type's boolean fields, by key. */
  checkboxes: Record<string, boolean>;
  /**
   * A module task's own fields as the task had them: saved unchanged when the portal
   * has no such type (any more), since the dialog cannot know what they mean.
   */
  kept: Record<string, unknown>;
  env: EnvRow[];
  createNamespace: boolean;
  /** Chart values of a deployChart task, as JSON text. */
  values: string;
  /** CPU and memory as typed; empty: the portal's default. */
  resources: Partial<Record<ResourceKey, string>>;
};

export type TaskFormErrors = {
  /** By field key: `name`, `image`, ..., `values`. */
  fields: Record<string, string>;
  /** By environment row, then `name` or `value`. */
  env: Record<number, Partial<Record<keyof EnvRow, string>>>;
  /** Problems that concern no single field. */
  other: string[];
};

/** A module task's own fields: all but what every task has. */
function ownFieldsOf(task: Task): Record<string, unknown> {
  const { name: _name, type: _type, ...own } = task as Record<string, unknown>;
  return own;
}

/**
 * The form of a module's task, without its type's schema (which may still be loading):
 * strings and numbers go to text fields, booleans to checkboxes, and everything stays
 * in `kept` too.
 */
function moduleFormFields(
  task: Task,
): Pick<TaskForm, 'fields' | 'checkboxes' | 'kept'> {
  const kept = ownFieldsOf(task);
  const fields: TaskForm['fields'] = {};
  const checkboxes: TaskForm['checkboxes'] = {};
  for (const [key, value] of Object.entries(kept)) {
    if (typeof value === 'string' || typeof value === 'number') {
      fields[key] = String(value);
    } else if (typeof value === 'boolean') {
      checkboxes[key] = value;
    }
  }
  return { fields, checkboxes, kept };
}

export function formOfTask(task?: Task): TaskForm {
  const type = task?.type ?? 'runScript';
  const record = (task ?? {}) as Record<string, unknown>;
  return {
    type,
    name: task?.name ?? '',
    ...(task && !isBuiltInTaskType(type)
      ? moduleFormFields(task)
      : {
          fields: Object.fromEntries(
            TASK_FIELDS[type as BuiltInTaskType].map(({ key }) => [
              key,
              String(record[key] ?? ''),
            ]),
          ),
          checkboxes: {},
          kept: {},
        }),
    env: task?.type === 'runScript' ? task.env ?? [] : [],
    createNamespace:
      (task?.type === 'deployYaml' || task?.type === 'deployChart') &&
      Boolean(task.createNamespace),
    values:
      task?.type === 'deployChart' && task.values
        ? JSON.stringify(task.values, null, 2)
        : '',
    resources: resourceFieldsOf(task?.resources),
  };
}

/**
 * The form once another type is chosen: the new type's fields, where fields with the
 * same key (image, tag, chart...) keep what was typed, and a module's new fields start
 * with their defaults.
 */
export function formWithType(form: TaskForm, info: TaskTypeInfo): TaskForm {
  const type = info.type as TaskType;
  if (isBuiltInTaskType(type)) {
    return {
      ...form,
      type,
      fields: Object.fromEntries(
        TASK_FIELDS[type].map(({ key }) => [key, form.fields[key] ?? '']),
      ),
      checkboxes: {},
      kept: {},
    };
  }
  const fields = moduleFieldsOf(info);
  return {
    ...form,
    type,
    fields: Object.fromEntries(
      fields
        .filter(field => field.kind !== 'checkbox')
        .map(field => [
          field.key,
          form.fields[field.key] ?? initialText(field),
        ]),
    ),
    checkboxes: Object.fromEntries(
      fields
        .filter(field => field.kind === 'checkbox')
        .map(field => [
          field.key,
          form.checkboxes[field.key] ?? initialChecked(field),
        ]),
    ),
    kept: {},
  };
}

function resourceFieldsOf(
  resources: TaskResources | undefined,
): TaskForm['resources'] {
  const fields: TaskForm['resources'] = {};
  for (const { key } of RESOURCE_FIELDS) {
    const [kind, resource] = key.split('.') as [
      'requests' | 'limits',
      'cpu' | 'memory',
    ];
    const value = resources?.[kind]?.[resource];
    if (value) fields[key] = value;
  }
  return fields;
}

/** The resources the fields ask for; undefined when every field is empty. */
function resourcesOf(fields: TaskForm['resources']): TaskResources | undefined {
  const resources: Record<string, Record<string, string>> = {};
  for (const { key } of RESOURCE_FIELDS) {
    const value = fields[key]?.trim();
    if (!value) continue;
    const [kind, resource] = key.split('.');
    resources[kind] = { ...resources[kind], [resource]: value };
  }
  return Object.keys(resources).length ? resources : undefined;
}

function parseValues(text: string): {
  values?: Record<string, unknown>;
  error?: string;
} {
  if (!text.trim()) return {};
  const error = 'must be a JSON object, e.g. {"replicaCount": 2}';
  try {
    const parsed: unknown = JSON.parse(text);
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      Array.isArray(parsed)
    ) {
      return { error };
    }
    return { values: parsed as Record<string, unknown> };
  } catch {
    return { error };
  }
}

/**
 * A module task's own fields as the form has them, checked against its type's schema;
 * problems go to `errors` at their field (the first one each), or to `other`.
 */
function moduleValuesOf(
  form: TaskForm,
  info: TaskTypeInfo,
  errors: TaskFormErrors,
): Record<string, unknown> {
  const fields = moduleFieldsOf(info);
  const values: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.kind === 'checkbox') {
      values[field.key] = form.checkboxes[field.key] ?? initialChecked(field);
      continue;
    }
    const { value, error } = readModuleText(
      field,
      form.fields[field.key] ?? '',
    );
    if (error) errors.fields[field.key] = error;
    if (value !== undefined) values[field.key] = value;
  }
  for (const { key, message } of moduleFieldProblems(info, fields, values)) {
    if (key === undefined) errors.other.push(message);
    else errors.fields[key] ??= message;
  }
  return values;
}

/**
 * The task's own fields as the form describes them: a built-in type's text fields, a
 * module type's fields read with its schema (`info`), or a module task's fields as they
 * were when the portal has no such type.
 */
function ownFieldsOfForm(
  form: TaskForm,
  info: TaskTypeInfo | undefined,
  errors: TaskFormErrors,
): Record<string, unknown> {
  if (isBuiltInTaskType(form.type)) {
    return Object.fromEntries(
      TASK_FIELDS[form.type].map(({ key }) => [key, form.fields[key] ?? '']),
    );
  }
  if (!info) return form.kept;
  return moduleValuesOf(form, info, errors);
}

/**
 * The task the form describes, checked with the shared task schema (and a module type's
 * fields with its schema, `info`), so the dialog says what the backend would say, at the
 * field it concerns. `takenNames` are the names of the other tasks of the stage: a name
 * must be unique there.
 */
export function validateTaskForm(
  form: TaskForm,
  takenNames: readonly string[],
  info?: TaskTypeInfo,
): { task?: Task; errors: TaskFormErrors } {
  const errors: TaskFormErrors = { fields: {}, env: {}, other: [] };
  // The type's fields under the name and type: a kept `resources` stays as it was.
  const candidate: Record<string, unknown> = {
    ...ownFieldsOfForm(form, info, errors),
    name: form.name,
    type: form.type,
  };
  if (form.type === 'runScript' && form.env.length) candidate.env = form.env;
  if (
    (form.type === 'deployYaml' || form.type === 'deployChart') &&
    form.createNamespace
  ) {
    candidate.createNamespace = true;
  }
  // A task of a type the portal lacks keeps the resources it had, untouched.
  const resources = asksForResources(form.type, info)
    ? resourcesOf(form.resources)
    : undefined;
  if (resources) candidate.resources = resources;
  if (form.type === 'deployChart') {
    const { values, error } = parseValues(form.values);
    if (error) errors.fields.values = error;
    if (values) candidate.values = values;
  }

  const result = taskSchema.safeParse(candidate);
  for (const issue of result.success ? [] : result.error.issues) {
    const [key, row, rowField] = issue.path;
    if (
      key === 'env' &&
      typeof row === 'number' &&
      typeof rowField === 'string'
    ) {
      errors.env[row] = { ...errors.env[row], [rowField]: issue.message };
    } else if (key === 'resources' && issue.path.length === 3) {
      // At the field it concerns: `resources.limits.memory`.
      errors.fields[issue.path.join('.')] ??= issue.message;
    } else if (typeof key === 'string') {
      errors.fields[key] ??= issue.message;
    } else {
      errors.other.push(issue.message);
    }
  }
  const name = form.name.trim();
  if (name && takenNames.includes(name)) {
    errors.fields.name = `another task in this stage is already named "${name}"`;
  }

  const valid =
    result.success &&
    !Object.keys(errors.fields).length &&
    !Object.keys(errors.env).length &&
    !errors.other.length;
  return { task: valid ? result.data : undefined, errors };
}

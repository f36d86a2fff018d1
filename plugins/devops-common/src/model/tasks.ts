import { z } from 'zod';
import { isBuiltInVariable } from '../variables/builtins';
import { requiredText, variableNameSchema } from './names';

const envVarSchema = z.strictObject({
  name: variableNameSchema.refine(name => !isBuiltInVariable(name), {
    error: issue =>
      `"${issue.input}" is a built-in variable, set by the platform for every run; give the variable another name`,
  }),
  value: z.string(),
});

/** A Kubernetes resource quantity: `500m` or `2` CPUs, `512Mi` or `1Gi` of memory. */
export const QUANTITY_PATTERN =
  /^([0-9]+(\.[0-9]+)?|\.[0-9]+)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

const quantitySchema = z
  .string()
  .trim()
  .regex(
    QUANTITY_PATTERN,
    'must be a Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 1Gi (memory)',
  );

const cpuAndMemorySchema = z.strictObject({
  cpu: quantitySchema.optional(),
  memory: quantitySchema.optional(),
});

/**
 * What a task's pod asks of its node (requests) and may use at most (limits); unset
 * values come from `devops.kubernetes.taskResources.defaults`. Used on Kubernetes only.
 */
export const taskResourcesSchema = z.strictObject({
  requests: cpuAndMemorySchema.optional(),
  limits: cpuAndMemorySchema.optional(),
});

/** @public */
export type TaskResources = z.infer<typeof taskResourcesSchema>;

const taskBase = {
  name: requiredText('a task name'),
  resources: taskResourcesSchema.optional(),
};

export const runScriptTaskSchema = z.strictObject({
  ...taskBase,
  type: z.literal('runScript'),
  image: requiredText('an image'),
  tag: requiredText('an image tag'),
  script: requiredText('a script'),
  env: z.array(envVarSchema).optional(),
});

export const buildImageTaskSchema = z.strictObject({
  ...taskBase,
  type: z.literal('buildImage'),
  dockerfile: requiredText('a Dockerfile path'),
  image: requiredText('an image name'),
  tag: requiredText('an image tag'),
  workspace: requiredText('a registry workspace'),
});

export const deployYamlTaskSchema = z.strictObject({
  ...taskBase,
  type: z.literal('deployYaml'),
  file: requiredText('a YAML file path'),
  cluster: requiredText('a cluster'),
  namespace: requiredText('a namespace'),
  createNamespace: z.boolean().optional(),
});

export const publishChartTaskSchema = z.strictObject({
  ...taskBase,
  type: z.literal('publishChart'),
  chartPath: requiredText('a chart directory'),
  chart: requiredText('a chart name'),
  version: requiredText('a chart version'),
});

export const deployChartTaskSchema = z.strictObject({
  ...taskBase,
  type: z.literal('deployChart'),
  release: requiredText('a release name'),
  chart: requiredText('a chart name'),
  version: requiredText('a chart version'),
  cluster: requiredText('a cluster'),
  namespace: requiredText('a namespace'),
  createNamespace: z.boolean().optional(),
  values: z.record(z.string(), z.unknown()).optional(),
});

const builtInTaskSchemas = {
  runScript: runScriptTaskSchema,
  buildImage: buildImageTaskSchema,
  deployYaml: deployYamlTaskSchema,
  publishChart: publishChartTaskSchema,
  deployChart: deployChartTaskSchema,
} as const;

/** @public */
export type BuiltInTaskType = keyof typeof builtInTaskSchemas;

/** @public */
export const BUILT_IN_TASK_TYPES = Object.keys(
  builtInTaskSchemas,
) as readonly BuiltInTaskType[];

/**
 * The type of a task a backend module registers: `<namespace>:<name>`, e.g.
 * `example:verifyFiles`. The namespace keeps modules' types apart from each other and
 * from the built-in ones, which have none.
 */
export const MODULE_TASK_TYPE_PATTERN =
  /^[a-z][a-zA-Z0-9-]*:[a-zA-Z][a-zA-Z0-9-]*$/;

/** @public */
export type ModuleTaskType = `${string}:${string}`;

const taskTypeList = `${BUILT_IN_TASK_TYPES.join(
  ', ',
)}, or a module's <namespace>:<name>`;

/**
 * A task of a type a backend module registers. Its own fields are checked against the
 * module's schema by the backend, which knows the registered types; here only their
 * shape is: any JSON values besides the name, type and resources.
 */
const moduleTaskSchema = z.looseObject({
  ...taskBase,
  type: z.string().regex(MODULE_TASK_TYPE_PATTERN, {
    error: issue =>
      `unknown task type ${JSON.stringify(
        issue.input,
      )}: must be one of ${taskTypeList}`,
  }),
});

/** @public */
export type BuiltInTask = z.infer<(typeof builtInTaskSchemas)[BuiltInTaskType]>;

/** @public */
export type ModuleTask = {
  name: string;
  type: ModuleTaskType;
  resources?: TaskResources;
  [field: string]: unknown;
};

/** @public */
export type Task = BuiltInTask | ModuleTask;
/** @public */
export type TaskType = Task['type'];
/** @public */
export type RunScriptTask = z.infer<typeof runScriptTaskSchema>;

export function isBuiltInTaskType(type: string): type is BuiltInTaskType {
  return Object.prototype.hasOwnProperty.call(builtInTaskSchemas, type);
}

/**
 * A task of any type: a built-in type's schema where the type is built in (so its
 * issues are at its fields), else the shape of a module's task.
 */
export const taskSchema: z.ZodType<Task, unknown> = z
  .unknown()
  .transform((input, ctx) => {
    const isObject = typeof input === 'object' && input !== null;
    const type = isObject ? (input as { type?: unknown }).type : undefined;
    if (isObject && type === undefined) {
      ctx.issues.push({
        code: 'custom',
        input,
        path: ['type'],
        message: `a task type is required: one of ${taskTypeList}`,
      });
      return input as Task;
    }
    const schema =
      typeof type === 'string' && isBuiltInTaskType(type)
        ? builtInTaskSchemas[type]
        : moduleTaskSchema;
    const result = schema.safeParse(input);
    if (result.success) return result.data as Task;
    // Its issues as they are: their paths go on from the task's.
    ctx.issues.push(...(result.error.issues as z.core.$ZodRawIssue[]));
    // The input, not nothing: the stage's checks (unique names) still see the task.
    return input as Task;
  });

/** Display names, as the original product's task dialog shows them. */
export const TASK_TYPE_TITLES: Record<BuiltInTaskType, string> = {
  runScript: 'Run script',
  buildImage: 'Build and push image',
  deployYaml: 'Deploy YAML',
  publishChart: 'Build and publish chart',
  deployChart: 'Deploy chart',
};

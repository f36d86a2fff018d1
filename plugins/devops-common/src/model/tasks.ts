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

const taskTypeList = [
  runScriptTaskSchema,
  buildImageTaskSchema,
  deployYamlTaskSchema,
  publishChartTaskSchema,
  deployChartTaskSchema,
]
  .map(schema => schema.shape.type.value)
  .join(', ');

export const taskSchema = z.discriminatedUnion(
  'type',
  [
    runScriptTaskSchema,
    buildImageTaskSchema,
    deployYamlTaskSchema,
    publishChartTaskSchema,
    deployChartTaskSchema,
  ],
  {
    error: issue => {
      if (issue.code !== 'invalid_union') return undefined;
      const type = (issue.input as { type?: unknown } | undefined)?.type;
      return type === undefined
        ? `a task type is required: one of ${taskTypeList}`
        : `unknown task type ${JSON.stringify(
            type,
          )}: must be one of ${taskTypeList}`;
    },
  },
);

/** @public */
export type Task = z.infer<typeof taskSchema>;
/** @public */
export type TaskType = Task['type'];
/** @public */
export type RunScriptTask = z.infer<typeof runScriptTaskSchema>;

/** @public */
export const TASK_TYPES: readonly TaskType[] = [
  'runScript',
  'buildImage',
  'deployYaml',
  'publishChart',
  'deployChart',
];

/** Display names, as the original product's task dialog shows them. */
export const TASK_TYPE_TITLES: Record<TaskType, string> = {
  runScript: 'Run script',
  buildImage: 'Build and push image',
  deployYaml: 'Deploy YAML',
  publishChart: 'Build and publish chart',
  deployChart: 'Deploy chart',
};

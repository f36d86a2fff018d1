import { z } from 'zod';
import {
  pipelineNameSchema,
  requiredText,
  variableNameSchema,
} from './names';
import { taskSchema } from './tasks';
import { triggersSchema } from './triggers';

export const PIPELINE_API_VERSION = 'devops.backstage.io/v1';
export const PIPELINE_KIND = 'Pipeline';

export const sourceSchema = z.strictObject({
  provider: z.enum(['github', 'gitlab', 'git']),
  repository: requiredText('a repository URL'),
  branch: requiredText('a branch'),
});

/**
 * A static parameter. A secret's value is write-only: the API never returns it, so an
 * update may leave it out to keep the stored one.
 */
export const parameterSchema = z
  .strictObject({
    name: variableNameSchema,
    value: z.string().optional(),
    secret: z.boolean().optional(),
  })
  .refine(p => p.secret || p.value !== undefined, {
    message: 'a parameter that is not secret needs a value',
    path: ['value'],
  });

export const stageSchema = z
  .strictObject({
    name: requiredText('a stage name'),
    order: z.enum(['sequential', 'parallel']).default('sequential'),
    tasks: z.array(taskSchema).min(1, 'a stage needs at least one task'),
  })
  .superRefine((stage, ctx) => {
    const seen = new Set<string>();
    stage.tasks.forEach((task, index) => {
      if (seen.has(task.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `another task in stage "${stage.name}" is already named "${task.name}"`,
          path: ['tasks', index, 'name'],
        });
      }
      seen.add(task.name);
    });
  });

/** The upper bound the timeout setting accepts: 14 days, the hard cap of every run. */
export const MAX_TIMEOUT_MINUTES = 14 * 24 * 60;

export const timeoutMinutesSchema = z
  .number()
  .int()
  .min(0)
  .max(MAX_TIMEOUT_MINUTES, 'must be at most 20160 minutes (14 days)');

export const pipelineSpecSchema = z
  .strictObject({
    source: sourceSchema.optional(),
    parameters: z.array(parameterSchema).optional(),
    stages: z.array(stageSchema).min(1, 'a pipeline needs at least one stage'),
    triggers: triggersSchema.optional(),
    timeoutMinutes: timeoutMinutesSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    (spec.parameters ?? []).forEach((param, index) => {
      if (seen.has(param.name)) {
        ctx.addIssue({
          code: 'custom',
          message: `parameter "${param.name}" is defined twice`,
          path: ['parameters', index, 'name'],
        });
      }
      seen.add(param.name);
    });
  });

export const pipelineMetadataSchema = z.strictObject({
  name: pipelineNameSchema,
  title: z.string().optional(),
  entityRef: requiredText('an entityRef'),
});

/** The pipeline document: one format for the API, export/import and the examples. */
export const pipelineDocumentSchema = z.strictObject({
  apiVersion: z.literal(PIPELINE_API_VERSION),
  kind: z.literal(PIPELINE_KIND),
  metadata: pipelineMetadataSchema,
  spec: pipelineSpecSchema,
});

/** @public */
export type PipelineSource = z.infer<typeof sourceSchema>;
/** @public */
export type PipelineParameter = z.infer<typeof parameterSchema>;
/** @public */
export type Stage = z.infer<typeof stageSchema>;
/** @public */
export type PipelineSpec = z.infer<typeof pipelineSpecSchema>;
/** @public */
export type PipelineDocument = z.infer<typeof pipelineDocumentSchema>;

import { z } from 'zod';
import {
  bindingNameSchema,
  pipelineDocumentSchema,
  runNotificationsSchema,
  timeoutMinutesSchema,
} from './pipeline';
import { pipelineNameSchema, variableNameSchema } from './names';
import { triggersSchema } from './triggers';
import { isBuiltInVariable } from '../variables/builtins';

/** PUT /pipelines/:id: the document plus the version it was read at. */
export const updatePipelineRequestSchema = pipelineDocumentSchema.extend({
  version: z.number().int().min(1),
});

export const copyPipelineRequestSchema = z.strictObject({
  name: pipelineNameSchema,
  title: z.string().optional(),
});

export const updateTriggersRequestSchema = triggersSchema;

export const updateSettingsRequestSchema = z.strictObject({
  timeoutMinutes: timeoutMinutesSchema,
  /** The binding to run on; null: the rule decides; left out: unchanged. */
  cluster: bindingNameSchema.nullable().optional(),
  /** Which ended runs notify the pipeline's owners; left out: unchanged. */
  notifications: runNotificationsSchema.optional(),
});

export const runPipelineRequestSchema = z.strictObject({
  params: z
    .record(
      variableNameSchema.refine(name => !isBuiltInVariable(name), {
        error: issue =>
          `"${String(
            issue.input,
          )}" is a built-in variable, set by the platform for every run`,
      }),
      z.string(),
    )
    .optional(),
});

export const rerunRequestSchema = z.strictObject({
  /** Run the branch head instead of the commit the original run used. */
  latestCommit: z.boolean().optional(),
});

/** @public */
export type UpdatePipelineRequest = z.infer<typeof updatePipelineRequestSchema>;
/** @public */
export type RunPipelineRequest = z.infer<typeof runPipelineRequestSchema>;

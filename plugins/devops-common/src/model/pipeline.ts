import { z } from 'zod';
import { pipelineNameSchema, requiredText, variableNameSchema } from './names';
import { taskSchema } from './tasks';
import { triggersSchema } from './triggers';
import { isBuiltInVariable } from '../variables/builtins';

/**
 * Lets a cross-field check run even when a sibling field failed, so that one response
 * names every problem; the check itself must then read the value defensively.
 */
const whenObject = {
  when: (payload: { value: unknown }) => isRecord(payload.value),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The `name` of each element of a list that may have failed its own parse. */
function namesOf(list: unknown): Array<string | undefined> {
  return Array.isArray(list)
    ? list.map(item =>
        isRecord(item) && typeof item.name === 'string'
          ? item.name.trim()
          : undefined,
      )
    : [];
}

export const PIPELINE_API_VERSION = 'devops.backstage.io/v1';
export const PIPELINE_KIND = 'Pipeline';

export const sourceSchema = z.strictObject({
  provider: z.enum(['github', 'gitlab', 'git']),
  repository: requiredText('a repository URL'),
  branch: requiredText('a branch'),
  /**
   * The connected code host account (its id) that reads the repository, for private
   * ones; without it the portal's `integrations:` credentials do, or none.
   */
  accountId: z.string().min(1).optional(),
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
    namesOf(stage.tasks).forEach((name, index) => {
      if (!name) return;
      if (seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `another task in stage "${stage.name}" is already named "${name}"`,
          path: ['tasks', index, 'name'],
        });
      }
      seen.add(name);
    });
  }, whenObject);

/** The upper bound the timeout setting accepts: 14 days, the hard cap of every run. */
export const MAX_TIMEOUT_MINUTES = 14 * 24 * 60;

/** A bound cluster's name, as the portal's Kubernetes configuration names it. */
export const bindingNameSchema = z
  .string()
  .trim()
  .min(1, 'name a bound cluster')
  .max(253, 'must be at most 253 characters');

export const timeoutMinutesSchema = z
  .number()
  .int()
  .min(0, 'must be 0 (no timeout) or a positive number of minutes')
  .max(MAX_TIMEOUT_MINUTES, 'must be at most 20160 minutes (14 days)');

/**
 * Who hears of a pipeline's ended runs through Backstage notifications (its entity's
 * owners): nobody; its failures (a failed or timed-out run, and the first run that
 * succeeds after one, "fixed"); or every run that ends.
 */
export const RUN_NOTIFICATION_SETTINGS = ['off', 'failures', 'all'] as const;

export const runNotificationsSchema = z.enum(RUN_NOTIFICATION_SETTINGS, {
  error: 'must be off, failures or all',
});

/** @public */
export type RunNotifications = z.infer<typeof runNotificationsSchema>;

/** What a pipeline that never chose gets. */
export const DEFAULT_RUN_NOTIFICATIONS: RunNotifications = 'failures';

export const pipelineSpecSchema = z
  .strictObject({
    source: sourceSchema.optional(),
    parameters: z.array(parameterSchema).optional(),
    stages: z.array(stageSchema).min(1, 'a pipeline needs at least one stage'),
    triggers: triggersSchema.optional(),
    timeoutMinutes: timeoutMinutesSchema.optional(),
    /**
     * The bound cluster the pipeline's tasks run on, where several bindings serve its
     * project (its advanced settings); unset, or no longer serving it: the rule decides.
     */
    cluster: bindingNameSchema.optional(),
    /** Its advanced settings: which ended runs notify its owners; unset: failures. */
    notifications: runNotificationsSchema.optional(),
  })
  .superRefine((spec, ctx) => {
    const seen = new Set<string>();
    namesOf(spec.parameters).forEach((name, index) => {
      if (!name) return;
      if (isBuiltInVariable(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `"${name}" is a built-in variable, set by the platform for every run; give the parameter another name`,
          path: ['parameters', index, 'name'],
        });
      } else if (seen.has(name)) {
        ctx.addIssue({
          code: 'custom',
          message: `parameter "${name}" is defined twice`,
          path: ['parameters', index, 'name'],
        });
      }
      seen.add(name);
    });
  }, whenObject);

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

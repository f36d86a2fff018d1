import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import type { z as zod } from 'zod/v3';

/*
 * The actions' output shapes. The registry parses each output with its schema, which
 * drops every field the schema does not name: these say what an MCP client gets, a
 * smaller view of what the HTTP API returns, with `runId` where the API says `id` since
 * that is the name the other actions take it by.
 */

type Zod = typeof zod;
/** The run's page in the portal, e.g. https://backstage.example.com/devops/runs/<id>. */
export type RunUrl = (runId: string) => string;

const status = (z: Zod) =>
  z
    .string()
    .describe(
      'queued, running, waiting (a task pod no node can take yet), succeeded, failed, stopped, skipped or timedOut',
    );

const times = (z: Zod) => ({
  startedAt: z.string().optional().describe('ISO time'),
  finishedAt: z.string().optional().describe('ISO time'),
  durationMs: z
    .number()
    .optional()
    .describe('From start to end, or to now while it runs'),
});

/** What run-pipeline and stop-run answer. */
export const runRefSchema = (z: Zod) =>
  z.object({
    runId: z
      .string()
      .describe('The run id get-run, get-run-log and stop-run take'),
    buildId: z
      .number()
      .describe("The run's BUILD_ID, counting from 1 per pipeline"),
    pipelineId: z.string(),
    pipelineName: z.string(),
    status: status(z),
    message: z.string().optional(),
    url: z.string().describe("The run's page in the portal"),
  });

const runSummary = (z: Zod) =>
  z.object({
    runId: z.string(),
    buildId: z.number(),
    status: status(z),
    queuedAt: z.string().describe('ISO time'),
    ...times(z),
    url: z.string(),
  });

export const pipelineSchema = (z: Zod) =>
  z.object({
    id: z.string().describe('The pipeline id run-pipeline takes'),
    name: z.string(),
    title: z.string().optional(),
    entityRef: z.string(),
    active: z.boolean().describe('An inactive pipeline refuses runs'),
    parameters: z
      .array(z.string())
      .describe(
        "Names of the pipeline's parameters, which run-pipeline's params may override",
      ),
    lastRun: runSummary(z).optional().describe('Its latest run, if any'),
  });

export const runSchema = (z: Zod) =>
  runRefSchema(z).extend({
    trigger: z
      .object({
        type: z
          .string()
          .describe('manual, rerun, schedule, push, merge or tag'),
        user: z.string().optional().describe('Who started it, an entity ref'),
        userName: z.string().optional(),
        event: z.string().optional().describe('The code host event'),
        rerunOf: z.number().optional().describe('The BUILD_ID it repeats'),
        fireTime: z.string().optional().describe('The timer fire it is for'),
        tag: z.string().optional(),
      })
      .describe('What started the run'),
    commit: z.string().optional(),
    branch: z.string().optional(),
    paramNames: z.array(z.string()),
    queuedAt: z.string().describe('ISO time'),
    ...times(z),
    setup: z
      .array(
        z.object({
          step: z
            .string()
            .describe('initialisation or checkout, as get-run-log takes it'),
          name: z.string(),
          status: status(z),
          ...times(z),
          message: z.string().optional(),
        }),
      )
      .describe('The steps before the first stage'),
    stages: z.array(
      z.object({
        name: z.string(),
        order: z.string().describe('sequential or parallel'),
        status: status(z),
        ...times(z),
        tasks: z.array(
          z.object({
            id: z.string().describe('The task run id get-run-log takes'),
            name: z.string(),
            type: z.string(),
            status: status(z),
            ...times(z),
            exitCode: z.number().optional(),
            message: z.string().optional(),
          }),
        ),
      }),
    ),
  });

/** A run or its summary with `runId` and its page's URL; the schemas keep what they name. */
export const runOutput = <T extends { id: string }>(
  run: T,
  runUrl: RunUrl,
) => ({
  runId: run.id,
  ...run,
  url: runUrl(run.id),
});

export const pipelineOutput = (pipeline: Pipeline, runUrl: RunUrl) => ({
  id: pipeline.status.id,
  name: pipeline.metadata.name,
  title: pipeline.metadata.title,
  entityRef: pipeline.metadata.entityRef,
  active: pipeline.status.active,
  parameters: (pipeline.spec.parameters ?? []).map(p => p.name),
  lastRun:
    pipeline.status.lastRun && runOutput(pipeline.status.lastRun, runUrl),
});

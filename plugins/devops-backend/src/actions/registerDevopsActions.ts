import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import { listPipelines, startManualRun, stopRun } from '../router/operations';
import {
  findReadablePipeline,
  findReadableRun,
} from '../router/readablePipeline';
import { nulCharacterError, nulIn } from '../router/rejectNulCharacters';
import { loadApiRun } from '../router/serialize';
import type { RouterOptions } from '../router/types';
import {
  type RunUrl,
  pipelineOutput,
  pipelineSchema,
  runOutput,
  runRefSchema,
  runSchema,
} from './outputs';
import { readLogTail } from './readLogTail';

/** What the actions use: the routes' stores and checks, and the runs' page URLs. */
export type DevopsActionsOptions = Pick<
  RouterOptions,
  | 'authorizer'
  | 'pipelines'
  | 'runs'
  | 'logs'
  | 'engine'
  | 'userDisplayName'
  | 'auditor'
> & { runUrl: RunUrl };

/** As GET /pipelines pages: 20 unless asked, at most 200. */
const PIPELINES_PAGE = { default: 20, max: 200 };
/** Enough for a failure's context; more belongs in the downloaded log. */
const LOG_TAIL = { default: 100, max: 1000 };

/**
 * Refuses a NUL in the input as rejectNulCharacters refuses it in a request: the
 * registry's own router parses action input, so the plugin's router never sees it, and
 * PostgreSQL cannot compare an id holding one.
 */
function refuseNul(input: object) {
  const at = nulIn(input);
  if (at !== undefined) throw nulCharacterError(`"${at}" of the input`);
}

/**
 * Registers the devops actions (ids `devops:<name>`), which MCP clients and scripts call
 * through the actions registry. Each does what its HTTP route does, through the same
 * functions, as the calling user: the registry hands over the caller's credentials, and
 * a pipeline the caller may not see is "not found", as in the API.
 */
export function registerDevopsActions(
  registry: ActionsRegistryService,
  options: DevopsActionsOptions,
) {
  registerListPipelines(registry, options);
  registerRunPipeline(registry, options);
  registerGetRun(registry, options);
  registerGetRunLog(registry, options);
  registerStopRun(registry, options);
}

function registerListPipelines(
  registry: ActionsRegistryService,
  options: DevopsActionsOptions,
) {
  registry.register({
    name: 'list-pipelines',
    title: 'List Pipelines of an Entity',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    description: `
Lists the DevOps pipelines of one software catalog entity that you may see, newest first, each with the status of its latest run.
The entity is given by its entity reference, of the form "kind:namespace/name" as the catalog writes it, e.g. "component:default/shop".
A pipeline's id is what run-pipeline takes; a run's id is what get-run, get-run-log and stop-run take.
    `,
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .min(1)
            .describe('The entity reference, e.g. "component:default/shop"'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(PIPELINES_PAGE.max)
            .optional()
            .describe(
              `How many pipelines to return; ${PIPELINES_PAGE.default} by default`,
            ),
          cursor: z
            .string()
            .optional()
            .describe("A previous answer's nextCursor, for the next page"),
        }),
      output: z =>
        z.object({
          pipelines: z.array(pipelineSchema(z)),
          totalCount: z.number(),
          nextCursor: z
            .string()
            .optional()
            .describe('Present when there are more pipelines'),
        }),
    },
    action: async ({ input, credentials }) => {
      refuseNul(input);
      const page = await listPipelines(options, credentials, {
        entityRef: input.entityRef,
        limit: input.limit ?? PIPELINES_PAGE.default,
        cursor: input.cursor,
      });
      return {
        output: {
          pipelines: page.items.map(p => pipelineOutput(p, options.runUrl)),
          totalCount: page.totalCount,
          nextCursor: page.nextCursor,
        },
      };
    },
  });
}

function registerRunPipeline(
  registry: ActionsRegistryService,
  options: DevopsActionsOptions,
) {
  registry.register({
    name: 'run-pipeline',
    title: 'Run a Pipeline',
    // A run executes the pipeline's scripts and deployments, whatever they change.
    attributes: { readOnly: false, destructive: true, idempotent: false },
    description: `
Starts a run of a DevOps pipeline, as its "Run" button does, and returns at once with the queued run: its id, BUILD_ID, status and page.
Follow it with get-run and get-run-log. You need the permission to run the pipeline, and the pipeline must be active.
params sets variables for this run only, e.g. {"VERSION": "1.2.3"}: they override the pipeline's parameters of the same name; built-in variables such as BUILD_ID cannot be set.
    `,
    schema: {
      input: z =>
        z.object({
          pipelineId: z
            .string()
            .min(1)
            .describe("The pipeline's id, as list-pipelines gives it"),
          params: z
            .record(z.string())
            .optional()
            .describe('Variables for this run: names to string values'),
        }),
      output: runRefSchema,
    },
    action: async ({ input, credentials }) => {
      refuseNul(input);
      const pipeline = await findReadablePipeline(
        options,
        credentials,
        input.pipelineId,
      );
      // The body POST /pipelines/:id/runs takes, checked by the same schema.
      const run = await startManualRun(options, credentials, pipeline, {
        params: input.params,
      });
      return {
        output: runOutput(await loadApiRun(options.runs, run), options.runUrl),
      };
    },
  });
}

function registerGetRun(
  registry: ActionsRegistryService,
  options: DevopsActionsOptions,
) {
  registry.register({
    name: 'get-run',
    title: 'Get a Pipeline Run',
    attributes: { readOnly: true, destructive: false, idempotent: true },
    description: `
Gets a DevOps pipeline run: its status, what started it, the commit it built, and the status and duration of its set-up steps, stages and tasks.
A run has ended when its status is succeeded, failed, stopped, skipped or timedOut; a failed task's message says why.
    `,
    schema: {
      input: z =>
        z.object({
          runId: z.string().min(1).describe("The run's id"),
        }),
      output: runSchema,
    },
    action: async ({ input, credentials }) => {
      refuseNul(input);
      const { run } = await findReadableRun(options, credentials, input.runId);
      return {
        output: runOutput(await loadApiRun(options.runs, run), options.runUrl),
      };
    },
  });
}

function registerGetRunLog(
  registry: ActionsRegistryService,
  options: DevopsActionsOptions,
) {
  registry.register({
    name: 'get-run-log',
    title: "Read a Pipeline Run's Log",
    attributes: { readOnly: true, destructive: false, idempotent: true },
    description: `
Reads the last lines of a DevOps pipeline run's log, ${LOG_TAIL.default} unless asked, at most ${LOG_TAIL.max}.
Each line starts with its time; without a task, a task's lines also start with its name in brackets.
task narrows the log to one step: a task's id (from get-run), "checkout" for the source checkout, or "initialisation" for the run's own lines (its start and end).
While the run goes on its log grows; ended says the run is over and the log complete.
    `,
    schema: {
      input: z =>
        z.object({
          runId: z.string().min(1).describe("The run's id"),
          lines: z
            .number()
            .int()
            .min(1)
            .max(LOG_TAIL.max)
            .optional()
            .describe(`How many lines, ${LOG_TAIL.default} by default`),
          task: z
            .string()
            .min(1)
            .optional()
            .describe('A task id, "checkout" or "initialisation"'),
        }),
      output: z =>
        z.object({
          runId: z.string(),
          status: z.string().describe("The run's status"),
          ended: z.boolean().describe('The run is over: no more lines come'),
          text: z.string().describe('The lines, separated by newlines'),
          lineCount: z.number(),
          omittedLines: z.number().describe('Earlier lines left out'),
        }),
    },
    action: async ({ input, credentials }) => {
      refuseNul(input);
      const { run } = await findReadableRun(options, credentials, input.runId);
      // The status is read before the log, so an ended run's log is read whole.
      const apiRun = await loadApiRun(options.runs, run);
      const tail = await readLogTail(options.logs, apiRun, {
        lines: input.lines ?? LOG_TAIL.default,
        task: input.task,
      });
      return {
        output: {
          runId: run.id,
          status: run.status,
          ended: isFinalStatus(run.status),
          ...tail,
        },
      };
    },
  });
}

function registerStopRun(
  registry: ActionsRegistryService,
  options: DevopsActionsOptions,
) {
  registry.register({
    name: 'stop-run',
    title: 'Stop a Pipeline Run',
    // Stopping ends the run's tasks midway; asking again changes nothing more.
    attributes: { readOnly: false, destructive: true, idempotent: true },
    description: `
Stops a DevOps pipeline run that has not ended, as its "Stop" button does: a queued run ends at once, a running one within seconds (get-run shows when).
You need the permission to run the pipeline. A run that already ended cannot be stopped.
    `,
    schema: {
      input: z =>
        z.object({
          runId: z.string().min(1).describe("The run's id"),
        }),
      output: runRefSchema,
    },
    action: async ({ input, credentials }) => {
      refuseNul(input);
      const found = await findReadableRun(options, credentials, input.runId);
      const stopped = await stopRun(options, credentials, found);
      return {
        output: runOutput(
          await loadApiRun(options.runs, stopped),
          options.runUrl,
        ),
      };
    },
  });
}

import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  Run,
  describeIssues,
  isFinalStatus,
  runPipelineRequestSchema,
} from '@devops-pipelines/plugin-devops-common';
import { createHash } from 'crypto';
import { DevopsApiClient } from '../client/DevopsApiClient';
import { AppLinks, DRY_RUN_RUN_ID } from './links';

export const RUN_PIPELINE_ACTION_ID = 'devops:pipeline:run';

/** How long waitForCompletion waits by default. */
export const DEFAULT_WAIT_TIMEOUT_MINUTES = 30;

/** Waits `ms`, or less when the signal aborts. */
function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done);
  });
}

/** Template values may be numbers or booleans; pipeline parameters are text. */
function paramsAsText(
  params: Record<string, string | number | boolean> | undefined,
): Record<string, string> {
  const text = Object.fromEntries(
    Object.entries(params ?? {}).map(([name, value]) => [name, String(value)]),
  );
  const result = runPipelineRequestSchema.safeParse({ params: text });
  if (!result.success) {
    throw new InputError(
      `The run's parameters are not valid: ${describeIssues(result.error)}`,
    );
  }
  return result.data.params ?? {};
}

/**
 * `devops:pipeline:run`: starts a run of a pipeline, as the user who runs the template,
 * and optionally waits for it to end, failing the step when the run does not succeed.
 */
export function runPipelineAction(options: {
  client: DevopsApiClient;
  links: AppLinks;
  /** How often waitForCompletion asks for the run's status. */
  pollIntervalMs?: number;
}) {
  const { client, links, pollIntervalMs = 5_000 } = options;
  return createTemplateAction({
    id: RUN_PIPELINE_ACTION_ID,
    description:
      "Starts a run of a DevOps pipeline with parameters, as the user who runs the template (the portal's permission policy decides whether they may), and optionally waits for it to end.",
    supportsDryRun: true,
    examples: [
      {
        description:
          'Runs the pipeline the create step made, and fails the task if the run fails',
        example: [
          'steps:',
          '  - id: run-pipeline',
          '    action: devops:pipeline:run',
          '    input:',
          "      pipelineId: ${{ steps['create-pipeline'].output.pipelineId }}",
          '      params:',
          '        GREETING: hello',
          '      waitForCompletion: true',
          '      timeoutMinutes: 15',
        ].join('\n'),
      },
    ],
    schema: {
      input: {
        pipelineId: z =>
          z
            .string()
            .min(1)
            .describe(
              "The pipeline's id, e.g. devops:pipeline:create's pipelineId output",
            ),
        params: z =>
          z
            .record(z.union([z.string(), z.number(), z.boolean()]))
            .optional()
            .describe(
              "The run's parameters, as the Run dialog asks for them: variables its tasks read, e.g. {GREETING: hi}",
            ),
        waitForCompletion: z =>
          z
            .boolean()
            .optional()
            .describe(
              'Wait for the run to end, and fail the step unless it succeeded (default false: the step ends once the run is queued)',
            ),
        timeoutMinutes: z =>
          z
            .number()
            .positive()
            .optional()
            .describe(
              `How long waitForCompletion waits before it fails the step (default ${DEFAULT_WAIT_TIMEOUT_MINUTES}); the run itself goes on`,
            ),
      },
      output: {
        runId: z =>
          z.string().describe('The run id (a placeholder in a dry run)'),
        buildId: z =>
          z
            .number()
            .describe("The run's BUILD_ID, counting from 1 per pipeline"),
        runUrl: z => z.string().describe("The run's page in the portal"),
        status: z =>
          z
            .string()
            .describe(
              "The run's status: its final one with waitForCompletion, else as it was queued",
            ),
      },
    },
    async handler(ctx) {
      const { pipelineId, waitForCompletion = false } = ctx.input;
      const params = paramsAsText(ctx.input.params);

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would run pipeline ${pipelineId}${
            Object.keys(params).length
              ? ` with ${Object.keys(params).join(', ')}`
              : ''
          }; runId is the placeholder "${DRY_RUN_RUN_ID}"`,
        );
        ctx.output('runId', DRY_RUN_RUN_ID);
        ctx.output('buildId', 0);
        ctx.output('runUrl', links.run(DRY_RUN_RUN_ID));
        ctx.output('status', 'queued');
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      // A retried task does not start a second run: the checkpoint keeps the first.
      const paramsHash = createHash('sha256')
        .update(JSON.stringify(Object.entries(params).sort()))
        .digest('hex')
        .slice(0, 16);
      const started = await ctx.checkpoint({
        key: `devops.pipeline.run.${
          ctx.step?.id ?? ''
        }.${pipelineId}.${paramsHash}`,
        fn: async () => {
          const run = await client.startRun(credentials, pipelineId, params);
          return {
            runId: run.id,
            buildId: run.buildId,
            pipelineName: run.pipelineName,
            status: run.status,
          };
        },
      });
      const runUrl = links.run(started.runId);
      const describe = `run #${started.buildId} of "${started.pipelineName}"`;
      ctx.logger.info(`Started the ${describe}: ${runUrl}`);
      ctx.output('runId', started.runId);
      ctx.output('buildId', started.buildId);
      ctx.output('runUrl', runUrl);

      if (!waitForCompletion) {
        ctx.output('status', started.status);
        return;
      }

      const timeoutMinutes =
        ctx.input.timeoutMinutes ?? DEFAULT_WAIT_TIMEOUT_MINUTES;
      const deadline = Date.now() + timeoutMinutes * 60_000;
      let run: Run = await client.getRun(credentials, started.runId);
      let lastStatus = run.status;
      while (!isFinalStatus(run.status)) {
        if (Date.now() >= deadline) {
          throw new Error(
            `The ${describe} did not end within ${timeoutMinutes} minutes (it is ${run.status} and goes on): ${runUrl}`,
          );
        }
        await sleep(
          Math.min(pollIntervalMs, deadline - Date.now()),
          ctx.signal,
        );
        if (ctx.signal?.aborted) {
          throw new Error(
            `The task was cancelled while waiting for the ${describe}, which goes on: ${runUrl}`,
          );
        }
        run = await client.getRun(credentials, started.runId);
        if (run.status !== lastStatus) {
          ctx.logger.info(`The ${describe}: ${run.status}`);
          lastStatus = run.status;
        }
      }
      ctx.output('status', run.status);
      if (run.status !== 'succeeded') {
        const failed = [
          ...(run.setup ?? []),
          ...run.stages.flatMap(stage => stage.tasks),
        ]
          .filter(
            step => step.status === 'failed' || step.status === 'timedOut',
          )
          .map(step =>
            step.message ? `${step.name}: ${step.message}` : step.name,
          );
        const reason = failed.length ? failed.join('; ') : run.message;
        throw new Error(
          `The ${describe} ended ${run.status}${
            reason ? ` (${reason})` : ''
          }. Its log: ${runUrl}`,
        );
      }
      ctx.logger.info(`The ${describe} succeeded`);
    },
  });
}

import type { RootConfigService } from '@backstage/backend-plugin-api';

/** What devops:pipeline:create outputs as pipelineId in a dry run. */
export const DRY_RUN_PIPELINE_ID = 'dry-run-pipeline-id';
/** What devops:pipeline:run outputs as runId in a dry run (buildId is 0). */
export const DRY_RUN_RUN_ID = 'dry-run-run-id';

/** Pages of the DevOps plugin in the portal, which the frontend mounts at /devops. */
export type AppLinks = {
  pipeline(pipelineId: string): string;
  run(runId: string): string;
};

/** The pages under `app.baseUrl`, as the devops backend links to them. */
export function appLinks(
  config: Pick<RootConfigService, 'getOptionalString'>,
): AppLinks {
  const appBaseUrl = (
    config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000'
  ).replace(/\/$/, '');
  return {
    pipeline: id => `${appBaseUrl}/devops/pipelines/${encodeURIComponent(id)}`,
    run: id => `${appBaseUrl}/devops/runs/${encodeURIComponent(id)}`,
  };
}

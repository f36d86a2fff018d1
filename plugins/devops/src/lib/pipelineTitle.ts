import type { Pipeline } from '@devops-pipelines/plugin-devops-common';

/** The display name people typed; the slug stands in when there is none. */
export function pipelineTitle(pipeline: Pipeline): string {
  return pipeline.metadata.title || pipeline.metadata.name;
}

import {
  PIPELINE_API_VERSION,
  PIPELINE_KIND,
  type Pipeline,
  type PipelineDocument,
} from '@devops-pipelines/plugin-devops-common';
import { pipelineTitle } from '../../../lib/pipelineTitle';
import type { PipelineDraft } from './editorState';
import { slugFromTitle } from './slug';

/**
 * The stages a new pipeline starts with (SPEC §1). The SPEC's first stage, "Source",
 * is the Source card of the canvas: the code source, not a stage of tasks.
 */
export const DEFAULT_STAGE_NAMES = ['Build', 'Test', 'Deploy'];

export function newPipelineDraft(entityRef: string = ''): PipelineDraft {
  return {
    title: '',
    name: '',
    entityRef,
    spec: {
      stages: DEFAULT_STAGE_NAMES.map(name => ({
        name,
        order: 'sequential' as const,
        tasks: [],
      })),
    },
  };
}

/** An existing pipeline as the editor edits it; triggers go back unchanged on save. */
export function draftOfPipeline(pipeline: Pipeline): PipelineDraft {
  return {
    title: pipeline.metadata.title ?? '',
    name: pipeline.metadata.name,
    entityRef: pipeline.metadata.entityRef,
    spec: pipeline.spec,
  };
}

/**
 * A copy keeps the source, stages, parameters and timeout of the original (SPEC §2).
 * Triggers are left out: two pipelines would fire on one push.
 */
export function draftCopyOf(
  pipeline: Pipeline,
  entityRef?: string,
): PipelineDraft {
  const { triggers: _notCopied, ...spec } = pipeline.spec;
  const title = `${pipelineTitle(pipeline)} (copy)`;
  return {
    title,
    name: slugFromTitle(title),
    entityRef: entityRef ?? pipeline.metadata.entityRef,
    spec,
  };
}

export function documentOfDraft(draft: PipelineDraft): PipelineDocument {
  const title = draft.title.trim();
  return {
    apiVersion: PIPELINE_API_VERSION,
    kind: PIPELINE_KIND,
    metadata: {
      name: draft.name.trim(),
      ...(title ? { title } : {}),
      entityRef: draft.entityRef.trim(),
    },
    spec: draft.spec,
  };
}

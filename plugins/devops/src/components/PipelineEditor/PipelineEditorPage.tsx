import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useParams, useSearchParams } from 'react-router-dom';
import useAsync from 'react-use/esm/useAsync';
import { devopsApiRef } from '../../api';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useDevopsLinks } from '../../links';
import { PipelineEditor } from './PipelineEditor';
import { draftCopyOf, draftOfPipeline, newPipelineDraft } from './state/drafts';

/**
 * The editor's routes: `pipelines/new` (optionally `?copyOf=<id>`) creates a pipeline,
 * `pipelines/:pipelineId/edit` edits one. In an entity's tab the new pipeline belongs
 * to that entity; on the global page the person names the entity.
 */
export const PipelineEditorPage = () => {
  const { pipelineId } = useParams();
  const [searchParams] = useSearchParams();
  const copyOf = pipelineId ? undefined : searchParams.get('copyOf');
  const { entityRef } = useDevopsLinks();
  const devopsApi = useApi(devopsApiRef);
  const loadId = pipelineId ?? copyOf;
  const loaded = useAsync(
    async (): Promise<Pipeline | undefined> =>
      loadId ? devopsApi.getPipeline(loadId) : undefined,
    [devopsApi, loadId],
  );

  if (loaded.loading) return <Progress />;
  if (loaded.error) return <ResponseErrorPanel error={loaded.error} />;
  const pipeline = loaded.value;

  if (pipelineId && pipeline) {
    return (
      <PipelineEditor
        key={pipelineId}
        heading={`Edit ${pipelineTitle(pipeline)}`}
        draft={draftOfPipeline(pipeline)}
        pipeline={pipeline}
        entityEditable={false}
      />
    );
  }
  if (pipeline) {
    return (
      <PipelineEditor
        key={`copy-${pipeline.status.id}`}
        heading={`Copy of ${pipelineTitle(pipeline)}`}
        draft={draftCopyOf(pipeline, entityRef)}
        entityEditable={!entityRef}
      />
    );
  }
  return (
    <PipelineEditor
      key="new"
      heading="New pipeline"
      draft={newPipelineDraft(entityRef)}
      entityEditable={!entityRef}
    />
  );
};

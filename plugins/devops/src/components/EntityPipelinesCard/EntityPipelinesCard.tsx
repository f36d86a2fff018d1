import List from '@material-ui/core/List';
import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  InfoCard,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import { DevopsMountContext, useDevopsLinks } from '../../links';
import { NoPipelines } from './NoPipelines';
import { PipelineLatestRunItem } from './PipelineLatestRunItem';
import { useEntityPipelines } from './useEntityPipelines';
import { useEntityPipelinesMount } from './useEntityPipelinesMount';

type PipelinesCardProps = {
  entityRef: string;
  kind: string;
};

const PipelinesCard = ({ entityRef, kind }: PipelinesCardProps) => {
  const links = useDevopsLinks();
  const { value: page, error, reload } = useEntityPipelines(entityRef);

  let content;
  if (!page) {
    content = error ? <ResponseErrorPanel error={error} /> : <Progress />;
  } else if (page.items.length === 0) {
    content = <NoPipelines entityRef={entityRef} kind={kind} />;
  } else {
    content = (
      <>
        {/* A later read failed: the pipelines stay as last read, under the reason. */}
        {error && <ResponseErrorPanel error={error} />}
        <List dense disablePadding>
          {page.items.map(pipeline => (
            <PipelineLatestRunItem
              key={pipeline.status.id}
              pipeline={pipeline}
              onStarted={reload}
            />
          ))}
        </List>
      </>
    );
  }

  // Said only where the card leaves pipelines out; "View all" shows them.
  const partial = page && page.totalCount > page.items.length;
  return (
    <InfoCard
      title="Pipelines"
      subheader={
        partial
          ? `${page.items.length} of ${page.totalCount} pipelines`
          : undefined
      }
      deepLink={{ title: 'View all', link: links.list() }}
    >
      {content}
    </InfoCard>
  );
};

/**
 * The overview card of a catalog entity's pipelines: each with its latest run (status,
 * BUILD_ID, duration, who started it) and a Run button, and a link to all of them in the
 * entity's Pipelines tab. Its links are those of that tab, which it does not import: the
 * pages stay out of the overview's bundle.
 *
 * @public
 */
export const EntityPipelinesCard = () => {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const mount = useEntityPipelinesMount(entityRef);
  return (
    <DevopsMountContext.Provider value={mount}>
      <PipelinesCard entityRef={entityRef} kind={entity.kind} />
    </DevopsMountContext.Provider>
  );
};

import Typography from '@material-ui/core/Typography';
import { InfoCard } from '@backstage/core-components';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { formatTime } from '../../lib/formatTime';
import { ActiveChip } from './ActiveChip';
import { DetailsList } from './DetailsList';
import { EntityRefText } from './EntityRefText';

const Source = ({ source }: { source: Pipeline['spec']['source'] }) =>
  source ? (
    <>
      <Typography variant="body2">{source.repository}</Typography>
      <Typography variant="caption" color="textSecondary">
        {source.provider} · {source.branch}
      </Typography>
    </>
  ) : (
    <Typography variant="body2" color="textSecondary">
      No source: tasks start in an empty folder
    </Typography>
  );

/** Name, status, code source, project, creator and creation time. */
export const BasicInfoCard = ({ pipeline }: { pipeline: Pipeline }) => (
  <InfoCard title="Basic information">
    <DetailsList
      items={[
        ['Name', pipeline.metadata.name],
        ['Status', <ActiveChip active={pipeline.status.active} />],
        ['Code source', <Source source={pipeline.spec.source} />],
        ['Project', <EntityRefText entityRef={pipeline.metadata.entityRef} />],
        [
          'Creator',
          <EntityRefText
            entityRef={pipeline.status.createdBy}
            defaultKind="user"
          />,
        ],
        ['Created', formatTime(pipeline.status.createdAt)],
      ]}
    />
  </InfoCard>
);

import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import { Link } from '@backstage/core-components';
import { EntityRefLink } from '@backstage/plugin-catalog-react';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import type { ReactNode } from 'react';
import { formatTime } from '../../lib/formatTime';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useDevopsLinks } from '../../links';
import { RunStatus } from '../RunStatus';

export type PipelineColumn = {
  title: string;
  render: (pipeline: Pipeline) => ReactNode;
};

const NameCell = ({ pipeline }: { pipeline: Pipeline }) => {
  const links = useDevopsLinks();
  return (
    <>
      <Typography variant="body2">
        <Link to={links.pipeline(pipeline.status.id)}>
          {pipelineTitle(pipeline)}
        </Link>
      </Typography>
      {pipeline.metadata.title && (
        <Typography variant="caption" color="textSecondary">
          {pipeline.metadata.name}
        </Typography>
      )}
    </>
  );
};

const SourceCell = ({ pipeline }: { pipeline: Pipeline }) => {
  const source = pipeline.spec.source;
  if (!source) {
    return (
      <Typography variant="body2" color="textSecondary">
        No source
      </Typography>
    );
  }
  return (
    <>
      <Typography variant="body2">{source.repository}</Typography>
      <Typography variant="caption" color="textSecondary">
        {source.provider} · {source.branch}
      </Typography>
    </>
  );
};

const LastRunCell = ({ pipeline }: { pipeline: Pipeline }) => {
  const links = useDevopsLinks();
  const run = pipeline.status.lastRun;
  if (!run) {
    return (
      <Typography variant="body2" color="textSecondary">
        Never run
      </Typography>
    );
  }
  return (
    <>
      <RunStatus status={run.status} />
      <Box>
        <Typography variant="caption">
          <Link to={links.run(run.id)}>
            #{run.buildId} · {formatTime(run.startedAt ?? run.queuedAt)}
          </Link>
        </Typography>
      </Box>
    </>
  );
};

/**
 * The project and the creator are catalog entity references, but the backend does not
 * insist on their format (a pipeline seeded from the examples may name a creator that
 * is no user entity); what does not parse is shown as text instead of breaking the row.
 */
const EntityRefCell = (props: { entityRef: string; defaultKind?: string }) => {
  try {
    const ref = parseEntityRef(props.entityRef, {
      defaultKind: props.defaultKind,
    });
    return <EntityRefLink entityRef={ref} />;
  } catch {
    return <Typography variant="body2">{props.entityRef}</Typography>;
  }
};

/** The columns of the pipelines list, except the actions, which need the list's state. */
export const pipelineColumns: PipelineColumn[] = [
  {
    title: 'Name',
    render: pipeline => <NameCell pipeline={pipeline} />,
  },
  {
    title: 'Status',
    render: pipeline =>
      pipeline.status.active ? (
        <Chip label="Active" size="small" color="primary" />
      ) : (
        <Chip label="Inactive" size="small" />
      ),
  },
  {
    title: 'Code source',
    render: pipeline => <SourceCell pipeline={pipeline} />,
  },
  {
    title: 'Last run',
    render: pipeline => <LastRunCell pipeline={pipeline} />,
  },
  {
    title: 'Project',
    render: pipeline => (
      <EntityRefCell entityRef={pipeline.metadata.entityRef} />
    ),
  },
  {
    title: 'Creator',
    render: pipeline => (
      <EntityRefCell entityRef={pipeline.status.createdBy} defaultKind="user" />
    ),
  },
  {
    title: 'Created',
    render: pipeline => formatTime(pipeline.status.createdAt),
  },
];

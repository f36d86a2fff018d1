import Box from '@material-ui/core/Box';
import Link from '@material-ui/core/Link';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import Typography from '@material-ui/core/Typography';
import {
  Breadcrumbs,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import {
  Link as RouterLink,
  useParams,
  useSearchParams,
} from 'react-router-dom';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useDevopsLinks } from '../../links';
import { ActiveChip } from './ActiveChip';
import { PipelineActionsBar } from './PipelineActionsBar';
import { PipelineOverview } from './PipelineOverview';
import { PipelineRunRecords } from './PipelineRunRecords';
import { usePipeline } from './usePipeline';

const PipelineDetails = ({ pipelineId }: { pipelineId: string }) => {
  const links = useDevopsLinks();
  const { value: pipeline, error, reload } = usePipeline(pipelineId);
  // In the address, so that "view more" and the back button agree.
  const [searchParams, setSearchParams] = useSearchParams();
  const tab = searchParams.get('tab') === 'records' ? 'records' : 'overview';
  const showTab = (next: string) =>
    setSearchParams(next === 'records' ? { tab: 'records' } : {});

  if (!pipeline) {
    return error ? <ResponseErrorPanel error={error} /> : <Progress />;
  }
  const { lastRun } = pipeline.status;
  // A run started or finished: the run lists read their runs again.
  const refreshKey = `${lastRun?.id}:${lastRun?.status}`;

  return (
    <>
      <Breadcrumbs aria-label="breadcrumb">
        <Link component={RouterLink} to={links.list()}>
          Pipelines
        </Link>
        <Typography>{pipelineTitle(pipeline)}</Typography>
      </Breadcrumbs>
      <Box
        display="flex"
        alignItems="center"
        flexWrap="wrap"
        gridGap={16}
        my={2}
      >
        <Box>
          <Box display="flex" alignItems="center" gridGap={8}>
            <Typography variant="h4" component="h1">
              {pipelineTitle(pipeline)}
            </Typography>
            <ActiveChip active={pipeline.status.active} />
          </Box>
          {pipeline.metadata.title && (
            <Typography variant="body2" color="textSecondary">
              {pipeline.metadata.name}
            </Typography>
          )}
        </Box>
        <Box flexGrow={1} />
        <PipelineActionsBar pipeline={pipeline} onChanged={reload} />
      </Box>
      {/* The last read failed; what is shown is from the read before. */}
      {error && <ResponseErrorPanel error={error} />}
      <Tabs
        value={tab}
        onChange={(_, next) => showTab(next)}
        indicatorColor="primary"
      >
        <Tab value="overview" label="Overview" />
        <Tab value="records" label="Run records" />
      </Tabs>
      <Box mt={2}>
        {tab === 'overview' ? (
          <PipelineOverview
            pipeline={pipeline}
            refreshKey={refreshKey}
            onViewMore={() => showTab('records')}
            onChanged={reload}
          />
        ) : (
          <PipelineRunRecords
            pipelineId={pipeline.status.id}
            refreshKey={refreshKey}
            onChanged={reload}
          />
        )}
      </Box>
    </>
  );
};

/** A pipeline's page: basic info, triggers, settings, latest run, drawing and runs. */
export const PipelineDetailsPage = () => {
  const { pipelineId = '' } = useParams();
  // Another pipeline starts over: its polling, its loaded pages, its dialogs.
  return <PipelineDetails key={pipelineId} pipelineId={pipelineId} />;
};

import Grid from '@material-ui/core/Grid';
import Link from '@material-ui/core/Link';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import {
  Breadcrumbs,
  Progress,
  ResponseErrorPanel,
} from '@backstage/core-components';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import {
  Link as RouterLink,
  useNavigate,
  useParams,
  useSearchParams,
} from 'react-router-dom';
import { usePipelinePermission } from '../../lib/usePipelinePermissions';
import { useDevopsLinks } from '../../links';
import { useRunActions } from '../RunHistory';
import { RunHeader } from './RunHeader';
import { ParallelSiblings } from './ParallelSiblings';
import { RunLogPanel } from './RunLogPanel';
import { RunSteps } from './RunSteps';
import { defaultStep, stepKey, stepsOf } from './runSteps';
import { useRun } from './useRun';
import { useTicker } from './useTicker';

const RunDetails = ({ runId }: { runId: string }) => {
  const links = useDevopsLinks();
  const navigate = useNavigate();
  const { value, error } = useRun(runId);
  // The step in the address, so that a link to a log line opens the right log.
  const [searchParams, setSearchParams] = useSearchParams();
  const now = useTicker(
    value !== undefined && !isFinalStatus(value.run.status),
  );
  // A stop needs nothing more: the run's stream shows it stopped.
  const actions = useRunActions({
    onRerun: ([started]) => navigate(links.run(started.id)),
  });
  // Asked once the run, and so its pipeline, is known.
  const execute = usePipelinePermission('execute', value?.run.pipelineId);

  if (!value) {
    return error ? <ResponseErrorPanel error={error} /> : <Progress />;
  }
  const { run, readAt } = value;
  const steps = stepsOf(run);
  const wanted = searchParams.get('step') ?? defaultStep(run);
  // A step the run does not have (an old link) shows the first, its initialisation.
  const step = steps.find(s => stepKey(s) === wanted) ?? steps[0];
  const selected = stepKey(step);
  const task = 'step' in step ? undefined : step;
  const select = (key: string) =>
    setSearchParams({ step: key }, { replace: true });

  return (
    <>
      <Breadcrumbs aria-label="breadcrumb">
        <Link component={RouterLink} to={links.list()}>
          Pipelines
        </Link>
        <Link component={RouterLink} to={links.pipeline(run.pipelineId)}>
          {run.pipelineName}
        </Link>
        <Typography>Run #{run.buildId}</Typography>
      </Breadcrumbs>
      <RunHeader
        run={run}
        readAt={readAt}
        now={now}
        execute={execute}
        onRerun={() => actions.ask('rerun', [run])}
        onStop={() => actions.ask('stop', [run])}
      />
      {/* The run's stream is interrupted; what is shown is from before, until it is back. */}
      {error && <ResponseErrorPanel error={error} />}
      <Grid container spacing={2}>
        <Grid item xs={12} md={4}>
          <Paper variant="outlined">
            <RunSteps
              run={run}
              readAt={readAt}
              now={now}
              selected={selected}
              onSelect={select}
            />
          </Paper>
        </Grid>
        <Grid item xs={12} md={8}>
          <RunLogPanel
            // A new step starts a new stream and a new viewer.
            key={selected}
            run={run}
            title={step.name}
            step={selected}
            pending={!step.startedAt && !isFinalStatus(step.status)}
            note={
              task && (
                <ParallelSiblings run={run} task={task} onSelect={select} />
              )
            }
          />
        </Grid>
      </Grid>
      {actions.dialog}
    </>
  );
};

/** A run's page: its steps with status and duration, and the selected step's log. */
export const RunDetailsPage = () => {
  const { runId = '' } = useParams();
  // Another run (after a re-run) starts over: its polling, its stream, its selection.
  return <RunDetails key={runId} runId={runId} />;
};

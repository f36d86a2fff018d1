import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import EditIcon from '@material-ui/icons/Edit';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import StopIcon from '@material-ui/icons/Stop';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  isFinalStatus,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { Link as RouterLink } from 'react-router-dom';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { usePipelinePermissions } from '../../lib/usePipelinePermissions';
import { ConfirmDialog } from '../ConfirmDialog';
import { DisabledTooltip } from '../DisabledTooltip';
import { useDevopsLinks } from '../../links';
import { RunPipelineDialog } from './RunPipelineDialog';

export type PipelineActionsBarProps = {
  pipeline: Pipeline;
  /** After an action that changed the pipeline or its runs. */
  onChanged: () => void;
};

type Confirmed = 'stop' | 'activate' | 'deactivate';

/**
 * Run, stop, edit, activate and deactivate, each but edit confirmed first. Those the
 * portal's permission policy refuses are disabled, saying why.
 */
export const PipelineActionsBar = ({
  pipeline,
  onChanged,
}: PipelineActionsBarProps) => {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const links = useDevopsLinks();
  const [running, setRunning] = useState(false);
  const [pending, setPending] = useState<Confirmed>();
  const [busy, setBusy] = useState(false);

  const { id, active, lastRun } = pipeline.status;
  const { execute, update, activate } = usePipelinePermissions(id);
  const title = pipelineTitle(pipeline);
  // Stop acts on the latest run, so it is offered only while that one is unfinished.
  const stoppable = lastRun !== undefined && !isFinalStatus(lastRun.status);

  const confirmations: Record<
    Confirmed,
    { title: string; text: string; label: string; destructive?: boolean }
  > = {
    stop: {
      title: 'Stop the running run?',
      text: `Stop run #${lastRun?.buildId} of "${title}"? Tasks that are still running are ended.`,
      label: 'Stop',
      destructive: true,
    },
    activate: {
      title: 'Activate pipeline?',
      text: `Activate "${title}"? Its triggers start runs again, and it can be run by hand.`,
      label: 'Activate',
    },
    deactivate: {
      title: 'Deactivate pipeline?',
      text: `Deactivate "${title}"? Triggers no longer start it, and manual runs are refused until it is activated again.`,
      label: 'Deactivate',
      destructive: true,
    },
  };

  const perform = async (action: Confirmed) => {
    setBusy(true);
    try {
      if (action === 'stop') {
        await devopsApi.stopPipeline(id);
      } else if (action === 'activate') {
        await devopsApi.activatePipeline(id);
      } else {
        await devopsApi.deactivatePipeline(id);
      }
      onChanged();
    } catch (e) {
      alertApi.post({
        message: `Could not ${action} "${title}": ${errorMessage(e)}`,
        severity: 'error',
      });
    }
    setBusy(false);
    setPending(undefined);
  };

  const confirmation = pending && confirmations[pending];
  return (
    <Box display="flex" flexWrap="wrap" gridGap={8}>
      <DisabledTooltip
        title={
          execute.reason ?? (active ? '' : 'Activate the pipeline to run it')
        }
      >
        <Button
          variant="contained"
          color="primary"
          startIcon={<PlayArrowIcon />}
          disabled={!active || !execute.allowed}
          onClick={() => setRunning(true)}
        >
          Run
        </Button>
      </DisabledTooltip>
      {stoppable && (
        <DisabledTooltip title={execute.reason}>
          <Button
            variant="outlined"
            startIcon={<StopIcon />}
            disabled={!execute.allowed}
            onClick={() => setPending('stop')}
          >
            Stop
          </Button>
        </DisabledTooltip>
      )}
      <DisabledTooltip title={update.reason}>
        <Button
          variant="outlined"
          startIcon={<EditIcon />}
          component={RouterLink}
          to={links.editPipeline(id)}
          disabled={!update.allowed}
        >
          Edit
        </Button>
      </DisabledTooltip>
      <DisabledTooltip title={activate.reason}>
        <Button
          variant="outlined"
          disabled={!activate.allowed}
          onClick={() => setPending(active ? 'deactivate' : 'activate')}
        >
          {active ? 'Deactivate' : 'Activate'}
        </Button>
      </DisabledTooltip>
      {running && (
        <RunPipelineDialog
          pipeline={pipeline}
          onClose={() => setRunning(false)}
          onStarted={run => {
            setRunning(false);
            alertApi.post({
              message: `Started run #${run.buildId} of "${title}"`,
              severity: 'success',
              display: 'transient',
            });
            onChanged();
          }}
        />
      )}
      {pending && confirmation && (
        <ConfirmDialog
          open
          title={confirmation.title}
          confirmLabel={confirmation.label}
          destructive={confirmation.destructive}
          busy={busy}
          onConfirm={() => perform(pending)}
          onClose={() => setPending(undefined)}
        >
          {confirmation.text}
        </ConfirmDialog>
      )}
    </Box>
  );
};

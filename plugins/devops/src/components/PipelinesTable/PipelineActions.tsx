import IconButton from '@material-ui/core/IconButton';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import Tooltip from '@material-ui/core/Tooltip';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import StopIcon from '@material-ui/icons/Stop';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import {
  isFinalStatus,
  type Pipeline,
} from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { ConfirmDialog } from '../ConfirmDialog';
import { pipelineActions, type PipelineActionId } from './pipelineActions';

export type PipelineActionsProps = {
  pipeline: Pipeline;
  /** Called after an action that changed the pipeline or its runs. */
  onChanged: () => void;
};

/** Run and Stop buttons and a menu with the rest, each confirmed before it happens. */
export const PipelineActions = ({
  pipeline,
  onChanged,
}: PipelineActionsProps) => {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const [menuAnchor, setMenuAnchor] = useState<HTMLElement | null>(null);
  const [pending, setPending] = useState<PipelineActionId>();
  const [busy, setBusy] = useState(false);

  const { active, lastRun } = pipeline.status;
  // Stop acts on the latest run, so it is offered only while that one is unfinished.
  const running = lastRun !== undefined && !isFinalStatus(lastRun.status);

  const perform = async (id: PipelineActionId) => {
    const action = pipelineActions[id];
    setBusy(true);
    let changed = false;
    try {
      const message = await action.perform(devopsApi, pipeline);
      if (message) {
        alertApi.post({ message, severity: 'success', display: 'transient' });
      }
      changed = action.changesList;
    } catch (e) {
      alertApi.post({
        message: `Could not ${action.verb.toLowerCase()} "${pipelineTitle(
          pipeline,
        )}": ${errorMessage(e)}`,
        severity: 'error',
      });
    }
    setBusy(false);
    setPending(undefined);
    // Last, because reloading may remove this row (after a delete).
    if (changed) {
      onChanged();
    }
  };

  const start = (id: PipelineActionId) => {
    setMenuAnchor(null);
    if (pipelineActions[id].confirm) {
      setPending(id);
    } else {
      perform(id);
    }
  };

  const confirm = pending && pipelineActions[pending].confirm;

  return (
    <>
      <Tooltip title={active ? 'Run' : 'Activate the pipeline to run it'}>
        {/* A disabled button fires no events, so the tooltip needs a wrapper. */}
        <span>
          <IconButton
            aria-label="Run"
            size="small"
            disabled={!active || busy}
            onClick={() => start('run')}
          >
            <PlayArrowIcon />
          </IconButton>
        </span>
      </Tooltip>
      {running && (
        <Tooltip title="Stop the running run">
          <IconButton
            aria-label="Stop"
            size="small"
            disabled={busy}
            onClick={() => start('stop')}
          >
            <StopIcon />
          </IconButton>
        </Tooltip>
      )}
      <IconButton
        aria-label="More actions"
        size="small"
        disabled={busy}
        onClick={event => setMenuAnchor(event.currentTarget)}
      >
        <MoreVertIcon />
      </IconButton>
      <Menu
        anchorEl={menuAnchor}
        open={Boolean(menuAnchor)}
        onClose={() => setMenuAnchor(null)}
      >
        <MenuItem onClick={() => start(active ? 'deactivate' : 'activate')}>
          {active ? 'Deactivate' : 'Activate'}
        </MenuItem>
        <MenuItem onClick={() => start('export')}>Export YAML</MenuItem>
        <MenuItem onClick={() => start('delete')}>Delete</MenuItem>
      </Menu>
      {pending && confirm && (
        <ConfirmDialog
          open
          title={confirm.title}
          confirmLabel={confirm.label}
          destructive={confirm.destructive}
          busy={busy}
          onConfirm={() => perform(pending)}
          onClose={() => setPending(undefined)}
        >
          {confirm.text(pipeline)}
        </ConfirmDialog>
      )}
    </>
  );
};

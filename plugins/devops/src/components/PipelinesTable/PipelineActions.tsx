import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
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
import { usePipelinePermissions } from '../../lib/usePipelinePermissions';
import { AdvancedSettingsDialog } from '../AdvancedSettingsDialog';
import { ConfirmDialog } from '../ConfirmDialog';
import { DisabledTooltip } from '../DisabledTooltip';
import { TriggerRulesDialog } from '../TriggerRulesDialog';
import {
  actionPermission,
  pipelineActions,
  type PipelineActionId,
} from './pipelineActions';
import { PipelineMenu, type PipelineDialogId } from './PipelineMenu';

export type PipelineActionsProps = {
  pipeline: Pipeline;
  /** Called after an action that changed the pipeline or its runs. */
  onChanged: () => void;
};

/**
 * Run and Stop buttons and a menu with the rest. Actions are confirmed before they
 * happen; the trigger and settings dialogs save the part of the pipeline they edit.
 * Actions the portal's permission policy refuses are disabled, saying why.
 */
export const PipelineActions = ({
  pipeline,
  onChanged,
}: PipelineActionsProps) => {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState<PipelineActionId>();
  const [dialog, setDialog] = useState<PipelineDialogId>();
  const [busy, setBusy] = useState(false);
  const permissions = usePipelinePermissions(pipeline.status.id);
  const run = actionPermission(permissions, 'run');
  const stop = actionPermission(permissions, 'stop');

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
    if (pipelineActions[id].confirm) {
      setPending(id);
    } else {
      perform(id);
    }
  };

  const confirm = pending && pipelineActions[pending].confirm;
  const { name } = pipeline.metadata;

  const saved = (what: string) => (stored: Pipeline) => {
    setDialog(undefined);
    alertApi.post({
      message: `Saved the ${what} of "${pipelineTitle(stored)}"`,
      severity: 'success',
      display: 'transient',
    });
    onChanged();
  };

  return (
    // One line, so that the buttons of a row do not stack in a narrow column.
    <Box display="flex" alignItems="center">
      <DisabledTooltip
        title={
          run.reason ?? (active ? 'Run' : 'Activate the pipeline to run it')
        }
      >
        <IconButton
          aria-label={`Run ${name}`}
          size="small"
          disabled={!active || busy || !run.allowed}
          onClick={() => start('run')}
        >
          <PlayArrowIcon />
        </IconButton>
      </DisabledTooltip>
      {running && (
        <DisabledTooltip title={stop.reason ?? 'Stop the running run'}>
          <IconButton
            aria-label={`Stop ${name}`}
            size="small"
            disabled={busy || !stop.allowed}
            onClick={() => start('stop')}
          >
            <StopIcon />
          </IconButton>
        </DisabledTooltip>
      )}
      <PipelineMenu
        pipeline={pipeline}
        permissions={permissions}
        disabled={busy}
        onAction={start}
        onDialog={setDialog}
      />
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
      <TriggerRulesDialog
        open={dialog === 'triggers'}
        pipeline={pipeline}
        onClose={() => setDialog(undefined)}
        onSaved={saved('trigger rules')}
      />
      <AdvancedSettingsDialog
        open={dialog === 'settings'}
        pipeline={pipeline}
        onClose={() => setDialog(undefined)}
        onSaved={saved('advanced settings')}
      />
    </Box>
  );
};

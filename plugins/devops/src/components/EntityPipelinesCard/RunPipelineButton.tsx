import Button from '@material-ui/core/Button';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { usePipelinePermission } from '../../lib/usePipelinePermissions';
import { ConfirmDialog } from '../ConfirmDialog';
import { DisabledTooltip } from '../DisabledTooltip';
import { pipelineActions } from '../PipelinesTable/pipelineActions';

export type RunPipelineButtonProps = {
  pipeline: Pipeline;
  /** After a run started, for the card to show it. */
  onStarted: () => void;
};

/**
 * The pipelines list's Run action as a button: the same question, the same run and the
 * same messages (`pipelineActions.run`), disabled, saying why, where the pipeline is
 * inactive or the portal's permission policy refuses to execute it.
 */
export const RunPipelineButton = ({
  pipeline,
  onStarted,
}: RunPipelineButtonProps) => {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const execute = usePipelinePermission('execute', pipeline.status.id);
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const { verb, confirm, perform } = pipelineActions.run;
  const { active } = pipeline.status;

  const run = async () => {
    setBusy(true);
    let started = false;
    try {
      const message = await perform(devopsApi, pipeline);
      if (message) {
        alertApi.post({ message, severity: 'success', display: 'transient' });
      }
      started = true;
    } catch (e) {
      alertApi.post({
        message: `Could not ${verb.toLowerCase()} "${pipelineTitle(
          pipeline,
        )}": ${errorMessage(e)}`,
        severity: 'error',
      });
    }
    setBusy(false);
    setAsking(false);
    if (started) {
      onStarted();
    }
  };

  return (
    <>
      <DisabledTooltip
        title={
          execute.reason ??
          (active ? undefined : 'Activate the pipeline to run it')
        }
      >
        <Button
          aria-label={`Run ${pipeline.metadata.name}`}
          size="small"
          variant="outlined"
          color="primary"
          startIcon={<PlayArrowIcon />}
          disabled={!active || busy || !execute.allowed}
          onClick={() => setAsking(true)}
        >
          Run
        </Button>
      </DisabledTooltip>
      {asking && confirm && (
        <ConfirmDialog
          open
          title={confirm.title}
          confirmLabel={confirm.label}
          busy={busy}
          onConfirm={run}
          onClose={() => setAsking(false)}
        >
          {confirm.text(pipeline)}
        </ConfirmDialog>
      )}
    </>
  );
};

import Checkbox from '@material-ui/core/Checkbox';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Typography from '@material-ui/core/Typography';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Run, RunSummary } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { ConfirmDialog } from '../ConfirmDialog';

export type RunAction = 'rerun' | 'stop';

const numbers = (runs: RunSummary[]) =>
  runs.map(r => `#${r.buildId}`).join(', ');

export type UseRunActionsOptions = {
  /** After re-runs started; gets the new runs. */
  onRerun?: (started: Run[]) => void;
  /** After stops were requested. */
  onStopped?: () => void;
};

/**
 * Re-run and stop for one run or a selection, each confirmed first. Returns `ask` to
 * start one, and the dialog to render.
 */
export function useRunActions(options: UseRunActionsOptions = {}) {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const [pending, setPending] = useState<{
    action: RunAction;
    runs: RunSummary[];
  }>();
  const [latestCommit, setLatestCommit] = useState(false);
  const [busy, setBusy] = useState(false);

  const ask = (action: RunAction, runs: RunSummary[]) => {
    setLatestCommit(false);
    setPending({ action, runs });
  };

  const perform = async () => {
    if (!pending) return;
    const { action, runs } = pending;
    setBusy(true);
    // One at a time, so that a refusal names its run and the others still happen.
    const started: Run[] = [];
    const failed: string[] = [];
    for (const run of runs) {
      try {
        if (action === 'rerun') {
          started.push(await devopsApi.rerun(run.id, { latestCommit }));
        } else {
          await devopsApi.stopRun(run.id);
        }
      } catch (e) {
        failed.push(`#${run.buildId}: ${errorMessage(e)}`);
      }
    }
    setBusy(false);
    setPending(undefined);
    if (failed.length > 0) {
      alertApi.post({
        message: `Could not ${
          action === 'rerun' ? 're-run' : 'stop'
        } ${failed.join('; ')}`,
        severity: 'error',
      });
    }
    if (action === 'rerun' && started.length > 0) {
      options.onRerun?.(started);
    }
    if (action === 'stop' && failed.length < runs.length) {
      options.onStopped?.();
    }
  };

  const dialog = pending && (
    <ConfirmDialog
      open
      busy={busy}
      title={
        pending.action === 'rerun'
          ? `Re-run ${numbers(pending.runs)}?`
          : `Stop ${numbers(pending.runs)}?`
      }
      confirmLabel={pending.action === 'rerun' ? 'Re-run' : 'Stop'}
      destructive={pending.action === 'stop'}
      onConfirm={perform}
      onClose={() => setPending(undefined)}
    >
      {pending.action === 'rerun' ? (
        <>
          <Typography>
            Runs again with the configuration{' '}
            {pending.runs.length > 1 ? 'those runs' : 'that run'} used, on the
            same commit.
          </Typography>
          <FormControlLabel
            control={
              <Checkbox
                checked={latestCommit}
                onChange={e => setLatestCommit(e.target.checked)}
              />
            }
            label="Use the latest commit of the branch instead"
          />
        </>
      ) : (
        <Typography>Tasks that are still running are ended.</Typography>
      )}
    </ConfirmDialog>
  );

  return { ask, dialog };
}

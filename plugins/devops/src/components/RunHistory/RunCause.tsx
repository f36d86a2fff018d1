import Tooltip from '@material-ui/core/Tooltip';
import type { RunSummary } from '@devops-pipelines/plugin-devops-common';
import { runCause } from './runCause';

/** What started a run; where a user did, their entity ref shows on hover. */
export const RunCause = ({ run }: { run: RunSummary }) => {
  const cause = <span>{runCause(run)}</span>;
  return run.trigger.user ? (
    <Tooltip title={run.trigger.user}>{cause}</Tooltip>
  ) : (
    cause
  );
};

import amber from '@material-ui/core/colors/amber';
import blue from '@material-ui/core/colors/blue';
import deepOrange from '@material-ui/core/colors/deepOrange';
import green from '@material-ui/core/colors/green';
import grey from '@material-ui/core/colors/grey';
import red from '@material-ui/core/colors/red';
import type {
  RunStatus,
  StageRun,
  TaskRun,
} from '@devops-pipelines/plugin-devops-common';

/** The order of the legend: the life of a task, then the ways it can end. */
export const RUN_STATUSES: readonly RunStatus[] = [
  'queued',
  'waiting',
  'running',
  'succeeded',
  'failed',
  'stopped',
  'skipped',
  'timedOut',
];

export const STATUS_LABELS: Record<RunStatus, string> = {
  queued: 'Queued',
  waiting: 'Waiting for resources',
  running: 'Running',
  succeeded: 'Succeeded',
  failed: 'Failed',
  stopped: 'Stopped',
  skipped: 'Skipped',
  timedOut: 'Timed out',
};

/** Colours readable on light and dark themes; each status also shows its label. */
export const STATUS_COLORS: Record<RunStatus, string> = {
  queued: grey[500],
  waiting: amber[700],
  running: blue[600],
  succeeded: green[600],
  failed: red[600],
  stopped: grey[700],
  skipped: grey[400],
  timedOut: deepOrange[700],
};

/** The task of a stage run with this name; names are unique within a stage. */
export function taskRunFor(
  stageRun: StageRun | undefined,
  name: string,
): TaskRun | undefined {
  return stageRun?.tasks.find(task => task.name === name);
}

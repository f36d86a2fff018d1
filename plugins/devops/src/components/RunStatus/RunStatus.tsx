import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { RunStatus as RunStatusValue } from '@devops-pipelines/plugin-devops-common';
import type { ComponentType, PropsWithChildren } from 'react';

const presentation: Record<
  RunStatusValue,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  queued: { label: 'Queued', Icon: StatusPending },
  waiting: { label: 'Waiting for resources', Icon: StatusPending },
  running: { label: 'Running', Icon: StatusRunning },
  succeeded: { label: 'Succeeded', Icon: StatusOK },
  failed: { label: 'Failed', Icon: StatusError },
  stopped: { label: 'Stopped', Icon: StatusAborted },
  skipped: { label: 'Skipped', Icon: StatusAborted },
  timedOut: { label: 'Timed out', Icon: StatusError },
};

/** A run, stage or task status as an icon and a word. */
export const RunStatus = (props: { status: RunStatusValue }) => {
  const { label, Icon } = presentation[props.status];
  return <Icon>{label}</Icon>;
};

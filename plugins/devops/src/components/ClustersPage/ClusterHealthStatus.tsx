import {
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
} from '@backstage/core-components';
import type { ComponentType, PropsWithChildren } from 'react';
import type { ClusterHealthState } from '../../api';

const presentation: Record<
  ClusterHealthState,
  { label: string; Icon: ComponentType<PropsWithChildren<{}>> }
> = {
  unknown: { label: 'Not checked yet', Icon: StatusPending },
  healthy: { label: 'Healthy', Icon: StatusOK },
  unreachable: { label: 'Unreachable', Icon: StatusError },
  unauthorized: { label: 'Credentials refused', Icon: StatusError },
  namespaceMissing: { label: 'Namespace missing', Icon: StatusWarning },
  removed: { label: 'Removed', Icon: StatusError },
};

/** A binding's health as an icon and a word; the check's message goes beside it. */
export const ClusterHealthStatus = ({ health }: { health: ClusterHealthState }) => {
  const { label, Icon } = presentation[health];
  return <Icon>{label}</Icon>;
};

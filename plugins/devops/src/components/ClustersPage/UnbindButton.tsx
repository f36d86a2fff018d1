import Button from '@material-ui/core/Button';
import { usePermission } from '@backstage/plugin-permission-react';
import { devopsClusterManagePermission } from '@devops-pipelines/plugin-devops-common';
import type { ClusterBinding } from '../../api';
import { DisabledTooltip } from '../DisabledTooltip';

const NOT_ALLOWED =
  "The portal's permission policy does not let you unbind this cluster (it serves groups other than yours)";

/** Unbind, disabled with the reason where the policy refuses it for this binding. */
export const UnbindButton = ({
  binding,
  onUnbind,
}: {
  binding: ClusterBinding;
  onUnbind: () => void;
}) => {
  const { allowed, loading } = usePermission({
    permission: devopsClusterManagePermission,
    resourceRef: binding.name,
  });
  return (
    <DisabledTooltip title={allowed || loading ? undefined : NOT_ALLOWED}>
      <Button
        size="small"
        color="secondary"
        aria-label={`Unbind ${binding.name}`}
        disabled={!allowed}
        onClick={onUnbind}
      >
        Unbind
      </Button>
    </DisabledTooltip>
  );
};

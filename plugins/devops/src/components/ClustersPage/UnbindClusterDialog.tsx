import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import { type ClusterBinding, type ClusterUser, devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { ConfirmDialog } from '../ConfirmDialog';
import { useDevopsLinks } from '../../links';
import { DialogError } from '../SubmitDialog';
import { clusterUsersOf } from './clusterInUse';

export type UnbindClusterDialogProps = {
  /** The binding to remove; the dialog is open while it is set. */
  binding?: ClusterBinding;
  onClose: () => void;
  onUnbound: (name: string) => void;
};

const describeUses = (user: ClusterUser) =>
  user.uses
    .map(use =>
      use === 'runs' ? 'its runs execute there' : 'a deploy task targets it',
    )
    .join('; ');

/**
 * Asks before unbinding. The first attempt is not forced: when pipelines use the
 * cluster the backend refuses and lists them, and the dialog shows them and asks again.
 */
export const UnbindClusterDialog = ({
  binding,
  onClose,
  onUnbound,
}: UnbindClusterDialogProps) => {
  const devopsApi = useApi(devopsApiRef);
  const links = useDevopsLinks();
  const [users, setUsers] = useState<ClusterUser[]>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    setUsers(undefined);
    setError(undefined);
  }, [binding]);

  if (!binding) {
    return null;
  }

  const unbind = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await devopsApi.unbindCluster(binding.name, { force: Boolean(users) });
      setBusy(false);
      onUnbound(binding.name);
    } catch (e) {
      const inUse = clusterUsersOf(e);
      if (inUse) {
        setUsers(inUse);
      } else {
        setError(errorMessage(e));
      }
      setBusy(false);
    }
  };

  return (
    <ConfirmDialog
      open
      title={`Unbind cluster ${binding.name}?`}
      confirmLabel={users ? 'Unbind anyway' : 'Unbind'}
      destructive
      busy={busy}
      onConfirm={unbind}
      onClose={onClose}
    >
      {users ? (
        <>
          <Typography role="alert" color="error" gutterBottom>
            {users.length === 1
              ? '1 pipeline uses'
              : `${users.length} pipelines use`}{' '}
            this cluster. They stop working until another binding covers them or
            their deploy tasks name another cluster:
          </Typography>
          <List dense aria-label="Pipelines using the cluster">
            {users.map(user => (
              <ListItem key={user.id}>
                <ListItemText
                  primary={
                    <Link to={links.pipeline(user.id)}>
                      {user.title ?? user.name}
                    </Link>
                  }
                  secondary={`${user.entityRef}: ${describeUses(user)}`}
                />
              </ListItem>
            ))}
          </List>
        </>
      ) : (
        <Typography>
          Pipelines that run on it, or deploy to it, stop working until another
          binding covers them. Namespace {binding.namespace} and what is in it
          stay on the cluster.
        </Typography>
      )}
      <DialogError error={error} />
    </ConfirmDialog>
  );
};

import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useState } from 'react';
import useAsyncFn from 'react-use/esm/useAsyncFn';
import { type ClusterBinding, devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { useSubmit } from '../../lib/useSubmit';
import { DialogError, SubmitDialogActions } from '../SubmitDialog';

export type BindClusterDialogProps = {
  open: boolean;
  onClose: () => void;
  onBound: (binding: ClusterBinding) => void;
};

/** "team-a, group:ops/sre" as the list of refs the API takes; blanks dropped. */
const parseScope = (text: string) =>
  text
    .split(',')
    .map(ref => ref.trim())
    .filter(Boolean);

/**
 * Binds one of the clusters the portal knows. Binding creates the namespace on the
 * cluster, so it can fail there: the backend's message names the cluster and why.
 */
export const BindClusterDialog = ({
  open,
  onClose,
  onBound,
}: BindClusterDialogProps) => {
  const devopsApi = useApi(devopsApiRef);
  const [name, setName] = useState('');
  const [namespace, setNamespace] = useState('');
  const [scope, setScope] = useState('');
  const [available, loadAvailable] = useAsyncFn(
    () => devopsApi.listAvailableClusters(),
    [devopsApi],
    { loading: true },
  );

  useEffect(() => {
    if (open) {
      setName('');
      setNamespace('');
      setScope('');
      loadAvailable();
    }
  }, [open, loadAvailable]);

  const { busy, error, submit } = useSubmit(
    () =>
      devopsApi.bindCluster({
        name,
        ...(namespace.trim() ? { namespace: namespace.trim() } : {}),
        scope: parseScope(scope),
      }),
    onBound,
  );

  const clusters = available.value ?? [];
  const defaultNamespace = clusters.find(
    c => c.name === name,
  )?.defaultNamespace;
  let fields;
  if (available.loading) {
    fields = <Progress />;
  } else if (available.error) {
    fields = (
      <DialogError
        error={`The clusters the portal knows could not be read: ${errorMessage(
          available.error,
        )}`}
      />
    );
  } else if (clusters.length === 0) {
    fields = (
      <DialogContentText>
        No cluster left to bind: every cluster the portal knows is bound, or
        none is configured. Add clusters to the portal's Kubernetes
        configuration (kubernetes.clusterLocatorMethods, with a
        serviceAccountToken each) or name a kubeconfig file in
        devops.kubernetes.kubeconfig.
      </DialogContentText>
    );
  } else {
    fields = (
      <>
        <TextField
          id="bind-cluster-name"
          select
          required
          fullWidth
          margin="normal"
          label="Cluster"
          value={name}
          onChange={e => setName(e.target.value)}
        >
          {clusters.map(cluster => (
            <MenuItem key={cluster.name} value={cluster.name}>
              {cluster.title
                ? `${cluster.title} (${cluster.name})`
                : cluster.name}{' '}
              — {cluster.url}
            </MenuItem>
          ))}
        </TextField>
        <TextField
          id="bind-cluster-namespace"
          fullWidth
          margin="normal"
          label="Namespace"
          value={namespace}
          onChange={e => setNamespace(e.target.value)}
          placeholder={defaultNamespace}
          InputLabelProps={defaultNamespace ? { shrink: true } : undefined}
          helperText={`Where task pods run; created if missing. Leave empty for ${
            defaultNamespace ?? "the cluster's own namespace"
          }, which no other binding shares.`}
        />
        <TextField
          id="bind-cluster-scope"
          fullWidth
          margin="normal"
          label="Scope"
          value={scope}
          onChange={e => setScope(e.target.value)}
          helperText="Catalog groups whose pipelines run here, comma separated (team-a, group:default/team-b). Leave empty for the whole portal. The portal's permission policy decides for which groups you may bind."
        />
      </>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="bind-cluster-title"
    >
      <DialogTitle id="bind-cluster-title">Bind a cluster</DialogTitle>
      <DialogContent>
        <DialogContentText>
          Pipelines' tasks run as pods in the bound namespace. Binding creates
          the namespace, a service account and its role on the cluster.
        </DialogContentText>
        {fields}
        <DialogError error={error} />
      </DialogContent>
      <SubmitDialogActions
        submitLabel="Bind"
        busy={busy}
        canSubmit={Boolean(name)}
        onCancel={onClose}
        onSubmit={() => submit(undefined)}
      />
    </Dialog>
  );
};

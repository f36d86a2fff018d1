import Button from '@material-ui/core/Button';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import type { ClusterBinding } from '../../api';
import { formatTime } from '../../lib/formatTime';
import { ListPanel } from '../ListPanel';
import { BindClusterDialog } from './BindClusterDialog';
import { ClusterHealthStatus } from './ClusterHealthStatus';
import { UnbindButton } from './UnbindButton';
import { UnbindClusterDialog } from './UnbindClusterDialog';
import { useClusters } from './useClusters';

/**
 * The clusters pipelines run on: each binding with its scope and health as the
 * backend's periodic check last saw it, binding another, and unbinding. Binding is
 * offered to those the portal's permission policy lets bind for some scope, and each
 * binding's Unbind asks the policy about that binding: to everyone else the page is a
 * view.
 */
export const ClustersPage = () => {
  const alertApi = useApi(alertApiRef);
  const { clusters, canBind: manage, loading, error, reload } = useClusters();
  const [binding, setBinding] = useState(false);
  const [unbinding, setUnbinding] = useState<ClusterBinding>();

  const onBound = (bound: ClusterBinding) => {
    setBinding(false);
    alertApi.post({
      message: `Bound cluster ${bound.name}: task pods run in namespace ${bound.namespace}`,
      severity: 'success',
      display: 'transient',
    });
    reload();
  };

  const onUnbound = (name: string) => {
    setUnbinding(undefined);
    alertApi.post({
      message: `Unbound cluster ${name}`,
      severity: 'success',
      display: 'transient',
    });
    reload();
  };

  const bindButton = manage ? (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setBinding(true)}
    >
      Bind cluster
    </Button>
  ) : undefined;

  let content;
  if (error) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!loading && clusters.length === 0) {
    content = (
      <EmptyState
        missing="content"
        title="No cluster bound"
        description={
          'No cluster bound: runs use the local executor. Bind a cluster the portal ' +
          "knows to run pipelines' tasks as pods in it, for the whole portal or for " +
          'the pipelines of some catalog groups.'
        }
        action={bindButton}
      />
    );
  } else {
    content = (
      <ListPanel
        title={`Clusters (${clusters.length})`}
        tools={bindButton}
        loading={loading}
      >
        <Table size="small">
          <TableHead>
            <TableRow>
              <TableCell>Cluster</TableCell>
              <TableCell>Namespace</TableCell>
              <TableCell>Scope</TableCell>
              <TableCell>Health</TableCell>
              <TableCell>Last check</TableCell>
              {manage && <TableCell>Actions</TableCell>}
            </TableRow>
          </TableHead>
          <TableBody>
            {clusters.map(cluster => (
              <TableRow
                key={cluster.name}
                data-testid={`cluster-row-${cluster.name}`}
              >
                <TableCell>{cluster.name}</TableCell>
                <TableCell>{cluster.namespace}</TableCell>
                <TableCell>
                  {cluster.scope.length === 0
                    ? 'Whole portal'
                    : cluster.scope.join(', ')}
                </TableCell>
                <TableCell>
                  <ClusterHealthStatus health={cluster.health} />
                  {cluster.healthMessage && (
                    <Typography variant="body2" color="textSecondary">
                      {cluster.healthMessage}
                    </Typography>
                  )}
                </TableCell>
                <TableCell>
                  {cluster.checkedAt ? formatTime(cluster.checkedAt) : 'Never'}
                </TableCell>
                {manage && (
                  <TableCell>
                    <UnbindButton
                      binding={cluster}
                      onUnbind={() => setUnbinding(cluster)}
                    />
                  </TableCell>
                )}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </ListPanel>
    );
  }

  return (
    <>
      {content}
      <BindClusterDialog
        open={binding}
        onClose={() => setBinding(false)}
        onBound={onBound}
      />
      <UnbindClusterDialog
        binding={unbinding}
        onClose={() => setUnbinding(undefined)}
        onUnbound={onUnbound}
      />
    </>
  );
};

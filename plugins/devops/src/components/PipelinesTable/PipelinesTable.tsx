import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import {
  EmptyState,
  ResponseErrorPanel,
  Table,
  type TableColumn,
} from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useMemo, useState } from 'react';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { ImportPipelineDialog } from '../ImportPipelineDialog';
import { pipelineColumns } from './columns';
import { PipelineActions } from './PipelineActions';
import { usePipelines } from './usePipelines';

/** @public */
export type PipelinesTableProps = {
  /** Only the pipelines of this catalog entity; all pipelines the user may see if unset. */
  entityRef?: string;
};

/**
 * The pipelines list of the DevOps page and of an entity's Pipelines tab.
 *
 * @public
 */
export const PipelinesTable = ({ entityRef }: PipelinesTableProps) => {
  const alertApi = useApi(alertApiRef);
  const { items, totalCount, loading, error, hasMore, loadMore, reload } =
    usePipelines(entityRef);
  const [importing, setImporting] = useState(false);

  const columns = useMemo<TableColumn<Pipeline>[]>(
    () => [
      ...pipelineColumns,
      {
        title: 'Actions',
        render: pipeline => (
          <PipelineActions pipeline={pipeline} onChanged={reload} />
        ),
      },
    ],
    [reload],
  );

  const onImported = (pipeline: Pipeline) => {
    setImporting(false);
    alertApi.post({
      message: `Imported "${pipelineTitle(pipeline)}"`,
      severity: 'success',
      display: 'transient',
    });
    reload();
  };

  const importButton = (
    <Button
      variant="contained"
      color="primary"
      onClick={() => setImporting(true)}
    >
      Import YAML
    </Button>
  );

  let content;
  if (error && items.length === 0) {
    content = <ResponseErrorPanel error={error} />;
  } else if (!loading && items.length === 0) {
    content = (
      <EmptyState
        missing="content"
        title={
          entityRef ? 'This entity has no pipelines yet' : 'No pipelines yet'
        }
        description={
          "A pipeline builds, tests and deploys a catalog entity's code. Create one " +
          'by importing its YAML document, for example one exported from another ' +
          `pipeline; its metadata.entityRef names the entity it belongs to${
            entityRef ? ` (${entityRef} for this one)` : ''
          }.`
        }
        action={importButton}
      />
    );
  } else {
    content = (
      <>
        {error && <ResponseErrorPanel error={error} />}
        <Table<Pipeline>
          title={`Pipelines (${totalCount})`}
          columns={columns}
          data={items}
          isLoading={loading}
          options={{ paging: false, search: false, padding: 'dense' }}
        />
        {hasMore && (
          <Box display="flex" justifyContent="center" mt={2}>
            <Button onClick={loadMore} disabled={loading}>
              Load more
            </Button>
          </Box>
        )}
      </>
    );
  }

  return (
    <>
      {items.length > 0 && (
        <Box display="flex" justifyContent="flex-end" mb={2}>
          {importButton}
        </Box>
      )}
      {content}
      <ImportPipelineDialog
        open={importing}
        entityRef={entityRef}
        onClose={() => setImporting(false)}
        onImported={onImported}
      />
    </>
  );
};

import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { EmptyState, ResponseErrorPanel } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useMemo, useState } from 'react';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { ImportPipelineDialog } from '../ImportPipelineDialog';
import { type PipelineColumn, pipelineColumns } from './columns';
import { CreateButtons } from './CreateButtons';
import { PipelineActions } from './PipelineActions';
import { PipelinesList } from './PipelinesList';
import { SearchField } from '../SearchField';
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
  const [q, setQ] = useState('');
  const { items, totalCount, loading, error, hasMore, loadMore, reload } =
    usePipelines({ entityRef, q });
  const [importing, setImporting] = useState(false);
  // Bumped to clear the search box (it keeps its own text while typing is debounced).
  const [searchKey, setSearchKey] = useState(0);

  const columns = useMemo<PipelineColumn[]>(
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
    // A search from before would hide the imported pipeline.
    if (q) {
      setSearchKey(key => key + 1);
      setQ('');
    } else {
      reload();
    }
  };

  const createButtons = (
    <CreateButtons entityRef={entityRef} onImport={() => setImporting(true)} />
  );

  let content;
  if (!loading && !error && items.length === 0 && !q) {
    content = (
      <EmptyState
        missing="content"
        title={
          entityRef ? 'This entity has no pipelines yet' : 'No pipelines yet'
        }
        description={
          "A pipeline builds, tests and deploys a catalog entity's code. Create one " +
          'on the canvas, or import its YAML document, such as one exported from ' +
          'another pipeline (its metadata.entityRef names the entity it belongs ' +
          `to${entityRef ? `: ${entityRef} for this one` : ''}).`
        }
        action={createButtons}
      />
    );
  } else if (error && items.length === 0 && !q) {
    content = <ResponseErrorPanel error={error} />;
  } else {
    content = (
      <>
        {error && <ResponseErrorPanel error={error} />}
        <PipelinesList
          title={`Pipelines (${totalCount})`}
          columns={columns}
          items={items}
          loading={loading}
          emptyText={`No pipeline matches "${q}".`}
          tools={
            <Box display="flex" alignItems="center" gridGap={16}>
              <SearchField
                key={searchKey}
                label="Search pipelines"
                onSearch={setQ}
              />
              {createButtons}
            </Box>
          }
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

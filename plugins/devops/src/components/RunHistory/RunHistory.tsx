import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import ButtonGroup from '@material-ui/core/ButtonGroup';
import Typography from '@material-ui/core/Typography';
import { Progress, ResponseErrorPanel } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import { usePipelinePermission } from '../../lib/usePipelinePermissions';
import { RunList } from './RunList';
import { RunTimeline } from './RunTimeline';
import type { RunHistory as RunHistoryState } from './useRunHistory';
import { useRunActions } from './useRunActions';

export type RunHistoryProps = {
  history: RunHistoryState;
  /** Offered instead of "Load more" where only the latest runs are shown. */
  onViewMore?: () => void;
  /** After a re-run or stop, for the rest of the page to catch up. */
  onChanged?: () => void;
};

type View = 'timeline' | 'list';

/** A pipeline's run records as a timeline of cards or as a list with a selection. */
export const RunHistory = ({
  history,
  onViewMore,
  onChanged,
}: RunHistoryProps) => {
  const alertApi = useApi(alertApiRef);
  const [view, setView] = useState<View>('timeline');
  const execute = usePipelinePermission('execute', history.pipelineId);
  const changed = () => {
    history.reload();
    onChanged?.();
  };
  const actions = useRunActions({
    onRerun: started => {
      alertApi.post({
        message: `Started ${started.map(r => `#${r.buildId}`).join(', ')}`,
        severity: 'success',
        display: 'transient',
      });
      changed();
    },
    onStopped: changed,
  });

  const { runs, loading, error, hasMore } = history;
  let content;
  if (loading && runs.length === 0) {
    content = <Progress />;
  } else if (runs.length === 0) {
    content = error ? null : (
      <Typography color="textSecondary">No runs yet.</Typography>
    );
  } else if (view === 'timeline') {
    content = (
      <RunTimeline
        runs={runs}
        execute={execute}
        onAction={(action, run) => actions.ask(action, [run])}
      />
    );
  } else {
    content = <RunList runs={runs} execute={execute} onAction={actions.ask} />;
  }

  return (
    <Box data-testid="run-history">
      <Box display="flex" alignItems="center" mb={2}>
        <Typography variant="h6" component="h2">
          Run records ({history.totalCount})
        </Typography>
        <Box flexGrow={1} />
        <ButtonGroup size="small" aria-label="Show runs as">
          {(['timeline', 'list'] as const).map(v => (
            <Button
              key={v}
              aria-pressed={view === v}
              variant={view === v ? 'contained' : 'outlined'}
              color={view === v ? 'primary' : 'default'}
              onClick={() => setView(v)}
            >
              {v === 'timeline' ? 'Timeline' : 'List'}
            </Button>
          ))}
        </ButtonGroup>
      </Box>
      {error && <ResponseErrorPanel error={error} />}
      {content}
      {hasMore && (
        <Box display="flex" justifyContent="center" mt={2}>
          {onViewMore ? (
            <Button onClick={onViewMore}>View more</Button>
          ) : (
            <Button onClick={history.loadMore} disabled={history.loadingMore}>
              Load more
            </Button>
          )}
        </Box>
      )}
      {actions.dialog}
    </Box>
  );
};

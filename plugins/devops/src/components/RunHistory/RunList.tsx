import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  isFinalStatus,
  type RunSummary,
} from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { formatTime } from '../../lib/formatTime';
import type { ActionPermission } from '../../lib/usePipelinePermissions';
import { DisabledTooltip } from '../DisabledTooltip';
import { RunStatus } from '../RunStatus';
import { formatDuration } from './formatDuration';
import { RunCause } from './RunCause';
import { RunLink } from './RunLink';
import type { RunAction } from './useRunActions';

export type RunListProps = {
  runs: RunSummary[];
  /** Whether the user may re-run and stop the runs. */
  execute: ActionPermission;
  onAction: (action: RunAction, runs: RunSummary[]) => void;
};

/** Runs as table rows with checkboxes; re-run and stop act on the selected ones. */
export const RunList = ({ runs, execute, onAction }: RunListProps) => {
  const [selectedIds, setSelectedIds] = useState<ReadonlySet<string>>(
    new Set(),
  );
  // Runs that left the list (a reload) drop out of the selection by themselves.
  const selected = runs.filter(run => selectedIds.has(run.id));
  const unfinished = selected.filter(run => !isFinalStatus(run.status));

  const toggle = (id: string) =>
    setSelectedIds(previous => {
      const next = new Set(previous);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  const toggleAll = () =>
    setSelectedIds(
      selected.length === runs.length
        ? new Set()
        : new Set(runs.map(r => r.id)),
    );

  return (
    <>
      <Box display="flex" alignItems="center" gridGap={8} mb={1}>
        <Typography variant="body2" color="textSecondary">
          {selected.length} selected
        </Typography>
        <DisabledTooltip title={execute.reason}>
          <Button
            size="small"
            variant="outlined"
            aria-label="Re-run selected"
            disabled={selected.length === 0 || !execute.allowed}
            onClick={() => onAction('rerun', selected)}
          >
            Re-run
          </Button>
        </DisabledTooltip>
        <DisabledTooltip title={execute.reason}>
          <Button
            size="small"
            variant="outlined"
            aria-label="Stop selected"
            disabled={unfinished.length === 0 || !execute.allowed}
            onClick={() => onAction('stop', unfinished)}
          >
            Stop
          </Button>
        </DisabledTooltip>
      </Box>
      <Table size="small">
        <TableHead>
          <TableRow>
            <TableCell padding="checkbox">
              <Checkbox
                inputProps={{ 'aria-label': 'Select all runs' }}
                checked={runs.length > 0 && selected.length === runs.length}
                indeterminate={
                  selected.length > 0 && selected.length < runs.length
                }
                onChange={toggleAll}
              />
            </TableCell>
            <TableCell>Run</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Cause</TableCell>
            <TableCell>Branch</TableCell>
            <TableCell>Started</TableCell>
            <TableCell>Duration</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {runs.map(run => (
            <TableRow
              key={run.id}
              data-testid={`run-record-${run.buildId}`}
              data-status={run.status}
              selected={selectedIds.has(run.id)}
            >
              <TableCell padding="checkbox">
                <Checkbox
                  inputProps={{ 'aria-label': `Select #${run.buildId}` }}
                  checked={selectedIds.has(run.id)}
                  onChange={() => toggle(run.id)}
                />
              </TableCell>
              <TableCell>
                <RunLink run={run} />
              </TableCell>
              <TableCell>
                <RunStatus status={run.status} />
              </TableCell>
              <TableCell>
                <RunCause run={run} />
              </TableCell>
              <TableCell>{run.branch ?? '—'}</TableCell>
              <TableCell>{formatTime(run.startedAt ?? run.queuedAt)}</TableCell>
              <TableCell>{formatDuration(run.durationMs)}</TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </>
  );
};

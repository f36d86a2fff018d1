import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import DeleteIcon from '@material-ui/icons/Delete';
import { useApi } from '@backstage/core-plugin-api';
import type { Pipeline, Run } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { devopsApiRef } from '../../api';
import { pipelineTitle } from '../../lib/pipelineTitle';
import { useSubmit } from '../../lib/useSubmit';
import { DialogError, SubmitDialogActions } from '../SubmitDialog';

export type RunPipelineDialogProps = {
  pipeline: Pipeline;
  onClose: () => void;
  onStarted: (run: Run) => void;
};

type Row = { name: string; value: string };

/** Rows left blank are no parameter; the backend checks the names. */
function toParams(rows: Row[]): Record<string, string> | undefined {
  const filled = rows.filter(row => row.name.trim() || row.value);
  return filled.length > 0
    ? Object.fromEntries(filled.map(row => [row.name.trim(), row.value]))
    : undefined;
}

/** Asks before starting a run, and takes optional values for this run only. */
export const RunPipelineDialog = ({
  pipeline,
  onClose,
  onStarted,
}: RunPipelineDialogProps) => {
  const devopsApi = useApi(devopsApiRef);
  const [rows, setRows] = useState<Row[]>([]);
  const { busy, error, submit } = useSubmit(
    (params: Record<string, string> | undefined) =>
      devopsApi.runPipeline(pipeline.status.id, params),
    onStarted,
  );
  const update = (index: number, change: Partial<Row>) =>
    setRows(previous =>
      previous.map((row, i) => (i === index ? { ...row, ...change } : row)),
    );

  return (
    <Dialog open onClose={onClose} aria-labelledby="run-pipeline-title">
      <DialogTitle id="run-pipeline-title">Run pipeline?</DialogTitle>
      <DialogContent>
        <Typography>
          Start a new run of "{pipelineTitle(pipeline)}" now?
        </Typography>
        <Typography variant="body2" color="textSecondary">
          Parameters are optional: every task of this run sees them as
          variables, next to the pipeline's own.
        </Typography>
        {rows.map((row, index) => (
          <Box key={index} display="flex" alignItems="flex-end" gridGap={8}>
            <TextField
              label="Name"
              value={row.name}
              onChange={e => update(index, { name: e.target.value })}
              inputProps={{ 'aria-label': `Parameter ${index + 1} name` }}
            />
            <TextField
              label="Value"
              value={row.value}
              onChange={e => update(index, { value: e.target.value })}
              inputProps={{ 'aria-label': `Parameter ${index + 1} value` }}
            />
            <IconButton
              aria-label={`Remove parameter ${index + 1}`}
              onClick={() => setRows(rows.filter((_, i) => i !== index))}
            >
              <DeleteIcon />
            </IconButton>
          </Box>
        ))}
        <Box mt={1}>
          <Button
            size="small"
            onClick={() => setRows([...rows, { name: '', value: '' }])}
          >
            Add parameter
          </Button>
        </Box>
        <DialogError error={error} />
      </DialogContent>
      <SubmitDialogActions
        submitLabel="Run"
        busy={busy}
        onCancel={onClose}
        onSubmit={() => submit(toParams(rows))}
      />
    </Dialog>
  );
};

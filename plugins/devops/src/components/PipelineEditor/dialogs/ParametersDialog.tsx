import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Checkbox from '@material-ui/core/Checkbox';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import type { PipelineParameter } from '@devops-pipelines/plugin-devops-common';
import { useState, type FormEvent } from 'react';
import {
  rowOfParameter,
  validateParameterRows,
  type ParameterRow,
} from './parameterRows';

export type ParametersDialogProps = {
  parameters: PipelineParameter[];
  /** A new pipeline (or a copy) has no stored secret values to keep. */
  creating: boolean;
  onSave: (parameters: PipelineParameter[]) => void;
  onClose: () => void;
};

function secretHint(row: ParameterRow, creating: boolean) {
  if (!row.secret) return undefined;
  if (creating) return 'Never shown again once saved; masked in logs';
  return row.value
    ? 'Replaces the stored value'
    : 'Leave empty to keep the stored value';
}

/** The pipeline's static parameters: constants every task sees as variables. */
export const ParametersDialog = (props: ParametersDialogProps) => {
  const { creating, onSave, onClose } = props;
  const [rows, setRows] = useState<ParameterRow[]>(() =>
    props.parameters.map(rowOfParameter),
  );
  const [checked, setChecked] = useState(false);
  const result = validateParameterRows(rows, { creating });
  const errors = checked ? result.errors : {};
  const update = (index: number, change: Partial<ParameterRow>) =>
    setRows(rs => rs.map((r, i) => (i === index ? { ...r, ...change } : r)));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (result.parameters) onSave(result.parameters);
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="parameters-dialog-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="parameters-dialog-title">Parameters</DialogTitle>
        <DialogContent>
          <DialogContentText>
            Every task reads these as variables, e.g. {'${REGISTRY_HOST}'}.
            Secret values are never shown back and are masked in logs.
          </DialogContentText>
          {rows.map((row, index) => (
            <Box key={index} display="flex" alignItems="flex-start" gridGap={8}>
              <TextField
                id={`parameter-${index}-name`}
                label="Name"
                required
                inputProps={{ 'aria-label': `Parameter ${index + 1} name` }}
                value={row.name}
                onChange={e => update(index, { name: e.target.value })}
                error={Boolean(errors[index]?.name)}
                helperText={errors[index]?.name}
                margin="dense"
              />
              <TextField
                id={`parameter-${index}-value`}
                label="Value"
                type={row.secret ? 'password' : 'text'}
                autoComplete="off"
                inputProps={{ 'aria-label': `Parameter ${index + 1} value` }}
                value={row.value}
                onChange={e => update(index, { value: e.target.value })}
                error={Boolean(errors[index]?.value)}
                helperText={errors[index]?.value ?? secretHint(row, creating)}
                margin="dense"
                style={{ flex: 1 }}
              />
              <FormControlLabel
                control={
                  <Checkbox
                    checked={row.secret}
                    onChange={e => update(index, { secret: e.target.checked })}
                    inputProps={{
                      'aria-label': `Parameter ${index + 1} is secret`,
                    }}
                  />
                }
                label="Secret"
              />
              <IconButton
                aria-label={`Remove parameter ${index + 1}`}
                onClick={() => setRows(rs => rs.filter((_, i) => i !== index))}
              >
                <DeleteIcon />
              </IconButton>
            </Box>
          ))}
          <Button
            size="small"
            startIcon={<AddIcon />}
            onClick={() =>
              setRows(rs => [...rs, { name: '', value: '', secret: false }])
            }
          >
            Add parameter
          </Button>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" color="primary" variant="contained">
            Save parameters
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

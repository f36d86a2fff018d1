import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import IconButton from '@material-ui/core/IconButton';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import AddIcon from '@material-ui/icons/Add';
import DeleteIcon from '@material-ui/icons/Delete';
import type { EnvRow, TaskFormErrors } from './taskForm';
import { VARIABLES_HINT } from './taskForm';

export type EnvRowsProps = {
  rows: EnvRow[];
  errors: TaskFormErrors['env'];
  onChange: (rows: EnvRow[]) => void;
};

/** The environment variables of a script task: optional rows of name and value. */
export const EnvRows = ({ rows, errors, onChange }: EnvRowsProps) => {
  const update = (index: number, change: Partial<EnvRow>) =>
    onChange(rows.map((row, i) => (i === index ? { ...row, ...change } : row)));
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">Environment variables</Typography>
      {rows.map((row, index) => (
        <Box key={index} display="flex" alignItems="flex-start" gridGap={8}>
          <TextField
            id={`env-${index}-name`}
            label="Variable"
            required
            inputProps={{ 'aria-label': `Variable ${index + 1} name` }}
            value={row.name}
            onChange={e => update(index, { name: e.target.value })}
            error={Boolean(errors[index]?.name)}
            helperText={errors[index]?.name}
            margin="dense"
          />
          <TextField
            id={`env-${index}-value`}
            label="Value"
            inputProps={{ 'aria-label': `Variable ${index + 1} value` }}
            value={row.value}
            onChange={e => update(index, { value: e.target.value })}
            error={Boolean(errors[index]?.value)}
            helperText={errors[index]?.value ?? VARIABLES_HINT}
            margin="dense"
            style={{ flex: 1 }}
          />
          <IconButton
            aria-label={`Remove variable ${index + 1}`}
            onClick={() => onChange(rows.filter((_, i) => i !== index))}
          >
            <DeleteIcon />
          </IconButton>
        </Box>
      ))}
      <Button
        size="small"
        startIcon={<AddIcon />}
        onClick={() => onChange([...rows, { name: '', value: '' }])}
      >
        Add variable
      </Button>
    </Box>
  );
};

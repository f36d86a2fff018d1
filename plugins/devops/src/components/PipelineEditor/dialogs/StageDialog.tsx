import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';
import TextField from '@material-ui/core/TextField';
import {
  stageSchema,
  type Stage,
} from '@devops-pipelines/plugin-devops-common';
import { useState, type FormEvent } from 'react';

export type StageDialogProps = {
  /** The stage to edit; a new stage when absent. */
  stage?: Stage;
  onSave: (values: { name: string; order: Stage['order'] }) => void;
  onClose: () => void;
};

/** Adds or edits a stage: its name and whether its tasks run one by one or together. */
export const StageDialog = ({ stage, onSave, onClose }: StageDialogProps) => {
  const [name, setName] = useState(stage?.name ?? '');
  const [order, setOrder] = useState<Stage['order']>(
    stage?.order ?? 'sequential',
  );
  const [checked, setChecked] = useState(false);
  const parsed = stageSchema.shape.name.safeParse(name);
  const error =
    checked && !parsed.success ? parsed.error.issues[0]?.message : undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (parsed.success) onSave({ name: parsed.data, order });
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="xs"
      aria-labelledby="stage-dialog-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="stage-dialog-title">
          {stage ? `Edit stage ${stage.name}` : 'Add stage'}
        </DialogTitle>
        <DialogContent>
          <TextField
            id="stage-name"
            label="Name"
            required
            value={name}
            onChange={e => setName(e.target.value)}
            error={Boolean(error)}
            helperText={error}
            fullWidth
            margin="dense"
          />
          <FormControl component="fieldset" margin="normal">
            <FormLabel component="legend">Task order</FormLabel>
            <RadioGroup
              value={order}
              onChange={e => setOrder(e.target.value as Stage['order'])}
            >
              <FormControlLabel
                value="sequential"
                control={<Radio />}
                label="Sequential: one task after the other"
              />
              <FormControlLabel
                value="parallel"
                control={<Radio />}
                label="Parallel: all tasks at once"
              />
            </RadioGroup>
          </FormControl>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" color="primary" variant="contained">
            {stage ? 'Save stage' : 'Add stage'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

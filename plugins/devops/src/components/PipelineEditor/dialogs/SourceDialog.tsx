import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import {
  sourceSchema,
  type PipelineSource,
} from '@devops-pipelines/plugin-devops-common';
import { useState, type FormEvent } from 'react';

export type SourceDialogProps = {
  source?: PipelineSource;
  onSave: (source: PipelineSource) => void;
  onClose: () => void;
};

const PROVIDERS: Array<{ value: PipelineSource['provider']; label: string }> = [
  { value: 'github', label: 'GitHub' },
  { value: 'gitlab', label: 'GitLab' },
  { value: 'git', label: 'Git (any repository URL)' },
];

/** The code source: the repository and branch every run checks out. */
export const SourceDialog = ({
  source,
  onSave,
  onClose,
}: SourceDialogProps) => {
  const [form, setForm] = useState<PipelineSource>(
    source ?? { provider: 'github', repository: '', branch: 'main' },
  );
  const [checked, setChecked] = useState(false);
  const parsed = sourceSchema.safeParse(form);
  const errors: Record<string, string> = {};
  if (checked && !parsed.success) {
    for (const issue of parsed.error.issues) {
      errors[String(issue.path[0])] ??= issue.message;
    }
  }
  const set = (change: Partial<PipelineSource>) =>
    setForm(f => ({ ...f, ...change }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (parsed.success) onSave(parsed.data);
  };

  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="source-dialog-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="source-dialog-title">
          {source ? 'Edit source' : 'Add source'}
        </DialogTitle>
        <DialogContent>
          <TextField
            id="source-provider"
            label="Provider"
            select
            SelectProps={{ native: true }}
            value={form.provider}
            onChange={e =>
              set({ provider: e.target.value as PipelineSource['provider'] })
            }
            fullWidth
            margin="dense"
          >
            {PROVIDERS.map(p => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </TextField>
          <TextField
            id="source-repository"
            label="Repository URL"
            required
            placeholder="https://github.com/jack/2048.git"
            value={form.repository}
            onChange={e => set({ repository: e.target.value })}
            error={Boolean(errors.repository)}
            helperText={errors.repository}
            fullWidth
            margin="dense"
          />
          <TextField
            id="source-branch"
            label="Branch"
            required
            value={form.branch}
            onChange={e => set({ branch: e.target.value })}
            error={Boolean(errors.branch)}
            helperText={
              errors.branch ??
              'Each run checks out the commit this branch points to when it starts'
            }
            fullWidth
            margin="dense"
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose}>Cancel</Button>
          <Button type="submit" color="primary" variant="contained">
            Save source
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
};

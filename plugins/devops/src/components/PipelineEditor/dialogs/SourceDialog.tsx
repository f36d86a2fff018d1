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
import { CodeHostSourceFields } from './CodeHostSourceFields';

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

const BRANCH_HINT =
  'Each run checks out the commit this branch points to when it starts';

/**
 * The code source: the repository and branch every run checks out, picked from what
 * GitHub or GitLab lists or typed, and the account that reads a private repository.
 */
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
    setForm(f => {
      // Left out rather than undefined, so that a saved source names no account.
      const { accountId, ...rest } = { ...f, ...change };
      return accountId ? { ...rest, accountId } : rest;
    });

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
              set({
                provider: e.target.value as PipelineSource['provider'],
                // An account is of one host only.
                accountId: undefined,
              })
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
          {form.provider === 'git' ? (
            <>
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
                helperText={errors.branch ?? BRANCH_HINT}
                fullWidth
                margin="dense"
              />
            </>
          ) : (
            // Keyed, so that another host's lists start empty.
            <CodeHostSourceFields
              key={form.provider}
              provider={form.provider}
              source={form}
              errors={errors}
              branchHint={BRANCH_HINT}
              onChange={set}
            />
          )}
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

import Button from '@material-ui/core/Button';
import DialogActions from '@material-ui/core/DialogActions';
import Typography from '@material-ui/core/Typography';

/** The reason a dialog's last submit failed, announced to screen readers. */
export const DialogError = ({ error }: { error?: string }) =>
  error ? (
    <Typography role="alert" color="error" variant="body2">
      {error}
    </Typography>
  ) : null;

export type SubmitDialogActionsProps = {
  submitLabel: string;
  busy: boolean;
  /** False while the form is invalid. */
  canSubmit?: boolean;
  onCancel(): void;
  onSubmit(): void;
};

/** Cancel and the dialog's one primary action, both held while it is submitting. */
export const SubmitDialogActions = ({
  submitLabel,
  busy,
  canSubmit = true,
  onCancel,
  onSubmit,
}: SubmitDialogActionsProps) => (
  <DialogActions>
    <Button onClick={onCancel} disabled={busy}>
      Cancel
    </Button>
    <Button
      onClick={onSubmit}
      disabled={busy || !canSubmit}
      color="primary"
      variant="contained"
    >
      {submitLabel}
    </Button>
  </DialogActions>
);

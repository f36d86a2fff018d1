import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';

export type ConflictDialogProps = {
  busy: boolean;
  onReload: () => void;
  onKeepEditing: () => void;
};

/** The answer to a 409 on save: the pipeline changed since the editor opened it. */
export const ConflictDialog = (props: ConflictDialogProps) => (
  <Dialog open onClose={props.onKeepEditing} aria-labelledby="conflict-title">
    <DialogTitle id="conflict-title">
      Someone else changed this pipeline
    </DialogTitle>
    <DialogContent>
      <DialogContentText>
        The pipeline was saved by someone else after you opened it, so your
        version was not saved. Reload it to edit the latest version: your
        changes are lost. Or keep editing to look at your changes; saving stays
        refused until you reload.
      </DialogContentText>
    </DialogContent>
    <DialogActions>
      <Button onClick={props.onKeepEditing} disabled={props.busy}>
        Keep editing
      </Button>
      <Button
        onClick={props.onReload}
        disabled={props.busy}
        color="secondary"
        variant="contained"
      >
        Reload (your changes are lost)
      </Button>
    </DialogActions>
  </Dialog>
);

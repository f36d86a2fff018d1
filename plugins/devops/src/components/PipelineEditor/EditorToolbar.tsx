import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import PlayArrowIcon from '@material-ui/icons/PlayArrow';
import RedoIcon from '@material-ui/icons/Redo';
import RestoreIcon from '@material-ui/icons/Restore';
import TuneIcon from '@material-ui/icons/Tune';
import UndoIcon from '@material-ui/icons/Undo';
import type { ActionPermission } from '../../lib/usePipelinePermissions';
import { DisabledTooltip } from '../DisabledTooltip';

export type EditorToolbarProps = {
  canUndo: boolean;
  canRedo: boolean;
  dirty: boolean;
  saving: boolean;
  /** Whether the user may save the pipeline. */
  save: ActionPermission;
  /** Whether the user may run it once saved. */
  run: ActionPermission;
  parameterCount: number;
  onUndo: () => void;
  onRedo: () => void;
  onReset: () => void;
  onParameters: () => void;
  onCancel: () => void;
  onSave: () => void;
  onSaveAndRun: () => void;
};

/** History on the left, leaving (cancel or save) on the right. */
export const EditorToolbar = (props: EditorToolbarProps) => (
  <Box
    display="flex"
    alignItems="center"
    flexWrap="wrap"
    gridGap={8}
    my={2}
    role="toolbar"
    aria-label="Pipeline editor actions"
  >
    <Button
      startIcon={<UndoIcon />}
      onClick={props.onUndo}
      disabled={!props.canUndo}
      title="Undo (Ctrl+Z)"
    >
      Undo
    </Button>
    <Button
      startIcon={<RedoIcon />}
      onClick={props.onRedo}
      disabled={!props.canRedo}
      title="Redo (Ctrl+Shift+Z or Ctrl+Y)"
    >
      Redo
    </Button>
    <Button
      startIcon={<RestoreIcon />}
      onClick={props.onReset}
      disabled={!props.dirty}
      title="Back to the pipeline as it was when the editor opened"
    >
      Reset
    </Button>
    <Button startIcon={<TuneIcon />} onClick={props.onParameters}>
      Parameters ({props.parameterCount})
    </Button>
    <Box flex={1} />
    {props.dirty && (
      <Typography variant="body2" color="textSecondary">
        Unsaved changes
      </Typography>
    )}
    <Button onClick={props.onCancel}>Cancel</Button>
    <DisabledTooltip title={props.save.reason}>
      <Button
        variant="outlined"
        color="primary"
        onClick={props.onSave}
        disabled={props.saving || !props.save.allowed}
      >
        Save
      </Button>
    </DisabledTooltip>
    <DisabledTooltip title={props.save.reason ?? props.run.reason}>
      <Button
        variant="contained"
        color="primary"
        startIcon={<PlayArrowIcon />}
        onClick={props.onSaveAndRun}
        disabled={props.saving || !props.save.allowed || !props.run.allowed}
      >
        Save and run
      </Button>
    </DisabledTooltip>
  </Box>
);

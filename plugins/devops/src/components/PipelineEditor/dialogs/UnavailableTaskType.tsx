import TextField from '@material-ui/core/TextField';
import type { TaskTypes } from '../useTaskTypes';

export type UnavailableTaskTypeProps = {
  /** The task's type, which the portal's list does not have. */
  type: string;
  /** The task's own fields, which the pipeline keeps as they are. */
  kept: Record<string, unknown>;
  /** The portal's types: whether they are loaded decides what the dialog can say. */
  taskTypes: TaskTypes;
};

function noteOf(type: string, { loading, error }: TaskTypes): string {
  if (loading) return "Loading the task types of the portal's modules…";
  if (error) {
    return `The portal's task types could not be loaded, so whether it has task type ${type} is unknown; the pipeline keeps the task as it is`;
  }
  return `This portal has no task type ${type}; the pipeline keeps the task as it is`;
}

/**
 * A task whose type the portal does not offer (a module was removed, or the pipeline
 * was imported from another portal): its type and fields, read-only. Nothing knows
 * what the fields mean, so saving the dialog keeps them exactly as they were.
 */
export const UnavailableTaskType = (props: UnavailableTaskTypeProps) => {
  const { type, kept, taskTypes } = props;
  return (
    <>
      <TextField
        id="task-type"
        label="Task type"
        value={type}
        helperText={noteOf(type, taskTypes)}
        InputProps={{ readOnly: true }}
        fullWidth
        margin="dense"
      />
      {Object.keys(kept).length > 0 && (
        <TextField
          id="task-kept-fields"
          label="Its fields, kept as they are"
          multiline
          value={JSON.stringify(kept, null, 2)}
          InputProps={{ readOnly: true, style: { fontFamily: 'monospace' } }}
          fullWidth
          margin="dense"
        />
      )}
    </>
  );
};

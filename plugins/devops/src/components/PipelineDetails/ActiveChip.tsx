import Chip from '@material-ui/core/Chip';

/** Whether triggers and manual runs may start the pipeline. */
export const ActiveChip = ({ active }: { active: boolean }) =>
  active ? (
    <Chip label="Active" size="small" color="primary" />
  ) : (
    <Chip label="Inactive" size="small" />
  );

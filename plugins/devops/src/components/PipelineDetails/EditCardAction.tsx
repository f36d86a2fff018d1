import IconButton from '@material-ui/core/IconButton';
import EditIcon from '@material-ui/icons/Edit';
import { usePipelinePermission } from '../../lib/usePipelinePermissions';
import { DisabledTooltip } from '../DisabledTooltip';

/**
 * The pencil in a card's header that opens the card's dialog. The cards edit parts of
 * the pipeline, so the pencil is disabled, saying why, where the user may not update it.
 */
export const EditCardAction = (props: {
  label: string;
  pipelineId: string;
  onClick: () => void;
}) => {
  const update = usePipelinePermission('update', props.pipelineId);
  return (
    <DisabledTooltip title={update.reason}>
      <IconButton
        aria-label={props.label}
        disabled={!update.allowed}
        onClick={props.onClick}
      >
        <EditIcon />
      </IconButton>
    </DisabledTooltip>
  );
};

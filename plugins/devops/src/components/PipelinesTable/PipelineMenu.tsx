import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { forwardRef, useState } from 'react';
import { Link } from 'react-router-dom';
import {
  useCreatePermission,
  type PipelinePermissions,
} from '../../lib/usePipelinePermissions';
import { useDevopsLinks } from '../../links';
import { DisabledTooltip } from '../DisabledTooltip';
import {
  actionPermission,
  pipelineActions,
  type PipelineActionId,
} from './pipelineActions';

/** The dialogs the menu opens, which edit one part of the pipeline in place. */
export type PipelineDialogId = 'triggers' | 'settings';

export type PipelineMenuProps = {
  pipeline: Pipeline;
  /** What the user may do to the pipeline: refused items are disabled, saying why. */
  permissions: PipelinePermissions;
  disabled: boolean;
  onAction: (id: PipelineActionId) => void;
  onDialog: (id: PipelineDialogId) => void;
};

/**
 * Copy opens the editor prefilled, and nothing is stored until it is saved (SPEC §2).
 * The copy belongs to the entity whose list this is, else to the original's entity;
 * the policy is asked about that one when the menu opens.
 */
const CopyMenuItem = forwardRef<HTMLElement, { pipeline: Pipeline }>(
  ({ pipeline, ...menuProps }, ref) => {
    const links = useDevopsLinks();
    const { allowed, reason } = useCreatePermission(
      links.entityRef ?? pipeline.metadata.entityRef,
    );
    // The menu's focus props and ref go on as if this were the item (as DisabledTooltip's).
    return (
      <DisabledTooltip title={reason} ref={ref} {...menuProps}>
        <MenuItem
          component={Link}
          to={links.newPipeline({ copyOf: pipeline.status.id })}
          disabled={!allowed}
        >
          Copy
        </MenuItem>
      </DisabledTooltip>
    );
  },
);

/** The "more" button of a row: pages to go to, dialogs to open, actions to take. */
export const PipelineMenu = (props: PipelineMenuProps) => {
  const { pipeline, permissions, disabled, onAction, onDialog } = props;
  const links = useDevopsLinks();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { id, active } = pipeline.status;
  const { update } = permissions;

  const close = () => setAnchor(null);
  const open = (dialog: PipelineDialogId) => () => {
    close();
    onDialog(dialog);
  };
  const actionItem = (action: PipelineActionId, label: string) => {
    const { allowed, reason } = actionPermission(permissions, action);
    return (
      <DisabledTooltip title={reason}>
        <MenuItem
          disabled={!allowed}
          onClick={() => {
            close();
            onAction(action);
          }}
        >
          {label}
        </MenuItem>
      </DisabledTooltip>
    );
  };
  const activation = active ? 'deactivate' : 'activate';

  return (
    <>
      <IconButton
        aria-label={`More actions for ${pipeline.metadata.name}`}
        aria-haspopup="true"
        size="small"
        disabled={disabled}
        onClick={event => setAnchor(event.currentTarget)}
      >
        <MoreVertIcon />
      </IconButton>
      <Menu anchorEl={anchor} open={Boolean(anchor)} onClose={close}>
        <DisabledTooltip title={update.reason}>
          <MenuItem
            component={Link}
            to={links.editPipeline(id)}
            disabled={!update.allowed}
          >
            Edit
          </MenuItem>
        </DisabledTooltip>
        <CopyMenuItem pipeline={pipeline} />
        <DisabledTooltip title={update.reason}>
          <MenuItem disabled={!update.allowed} onClick={open('triggers')}>
            Edit triggers
          </MenuItem>
        </DisabledTooltip>
        <DisabledTooltip title={update.reason}>
          <MenuItem disabled={!update.allowed} onClick={open('settings')}>
            Advanced settings
          </MenuItem>
        </DisabledTooltip>
        <Divider />
        {actionItem(activation, pipelineActions[activation].verb)}
        {actionItem('export', 'Export YAML')}
        {actionItem('delete', pipelineActions.delete.verb)}
      </Menu>
    </>
  );
};

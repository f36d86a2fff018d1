import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import type { PipelinePermissions } from '../../lib/usePipelinePermissions';
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
        {/* The editor opens prefilled; nothing is stored until it is saved (SPEC §2),
            and only then can the backend tell whether the copy may be created. */}
        <MenuItem component={Link} to={links.newPipeline({ copyOf: id })}>
          Copy
        </MenuItem>
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

import Divider from '@material-ui/core/Divider';
import IconButton from '@material-ui/core/IconButton';
import Menu from '@material-ui/core/Menu';
import MenuItem from '@material-ui/core/MenuItem';
import MoreVertIcon from '@material-ui/icons/MoreVert';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { Link } from 'react-router-dom';
import { useDevopsLinks } from '../../links';
import type { PipelineActionId } from './pipelineActions';

/** The dialogs the menu opens, which edit one part of the pipeline in place. */
export type PipelineDialogId = 'triggers' | 'settings';

export type PipelineMenuProps = {
  pipeline: Pipeline;
  disabled: boolean;
  onAction: (id: PipelineActionId) => void;
  onDialog: (id: PipelineDialogId) => void;
};

/** The "more" button of a row: pages to go to, dialogs to open, actions to take. */
export const PipelineMenu = (props: PipelineMenuProps) => {
  const { pipeline, disabled, onAction, onDialog } = props;
  const links = useDevopsLinks();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const { id, active } = pipeline.status;

  const close = () => setAnchor(null);
  const act = (action: PipelineActionId) => () => {
    close();
    onAction(action);
  };
  const open = (dialog: PipelineDialogId) => () => {
    close();
    onDialog(dialog);
  };

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
        <MenuItem component={Link} to={links.editPipeline(id)}>
          Edit
        </MenuItem>
        {/* The editor opens prefilled; nothing is stored until it is saved (SPEC §2). */}
        <MenuItem component={Link} to={links.newPipeline({ copyOf: id })}>
          Copy
        </MenuItem>
        <MenuItem onClick={open('triggers')}>Edit triggers</MenuItem>
        <MenuItem onClick={open('settings')}>Advanced settings</MenuItem>
        <Divider />
        <MenuItem onClick={act(active ? 'deactivate' : 'activate')}>
          {active ? 'Deactivate' : 'Activate'}
        </MenuItem>
        <MenuItem onClick={act('export')}>Export YAML</MenuItem>
        <MenuItem onClick={act('delete')}>Delete</MenuItem>
      </Menu>
    </>
  );
};

import IconButton from '@material-ui/core/IconButton';
import EditIcon from '@material-ui/icons/Edit';

/** The pencil in a card's header that opens the card's dialog. */
export const EditCardAction = (props: {
  label: string;
  onClick: () => void;
}) => (
  <IconButton aria-label={props.label} onClick={props.onClick}>
    <EditIcon />
  </IconButton>
);

import { Theme, makeStyles } from '@material-ui/core/styles';
import type { CSSProperties } from '@material-ui/core/styles/withStyles';
import { SIZES, EDGE_Y } from './layout';

const ADD_STAGE_SIZE = 28;

/**
 * The part of a stage header or task card that opens it: fills the card's middle,
 * shows a pointer when it is a button and a focus ring for keyboard users.
 */
export const clickableArea = (theme: Theme): CSSProperties => ({
  flex: 1,
  minWidth: 0,
  alignSelf: 'stretch',
  display: 'flex',
  flexDirection: 'column',
  justifyContent: 'center',
  padding: theme.spacing(0, 1),
  '&[role="button"]': { cursor: 'pointer' },
  '&:focus-visible': {
    outline: `2px solid ${theme.palette.primary.main}`,
    outlineOffset: -2,
  },
});

/** What the Source card and the stage columns share. */
export const useNodeStyles = makeStyles(theme => ({
  card: {
    position: 'relative',
    boxSizing: 'border-box',
    width: '100%',
    height: '100%',
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 6,
    background: theme.palette.background.default,
    color: theme.palette.text.primary,
    fontFamily: theme.typography.fontFamily,
    fontSize: '0.875rem',
    textAlign: 'left',
  },
  invalid: {
    borderColor: theme.palette.error.main,
    boxShadow: `0 0 0 1px ${theme.palette.error.main}`,
  },
  dragged: { opacity: 0.4 },
  dropBefore: { boxShadow: `-4px 0 0 0 ${theme.palette.primary.main}` },
  dropAfter: { boxShadow: `4px 0 0 0 ${theme.palette.primary.main}` },
  /** Edges attach here; nobody connects anything by hand. */
  handle: { visibility: 'hidden' },
  problem: {
    height: SIZES.problemLine,
    lineHeight: `${SIZES.problemLine}px`,
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    fontSize: '0.75rem',
    color: theme.palette.error.main,
  },
  iconButton: {
    alignSelf: 'stretch',
    border: 'none',
    background: 'none',
    color: theme.palette.text.secondary,
    cursor: 'pointer',
    padding: theme.spacing(0, 0.5),
    '&:focus-visible': {
      outline: `2px solid ${theme.palette.primary.main}`,
      outlineOffset: -2,
    },
  },
  /** The "+" on the edge to the next column. */
  addStage: {
    position: 'absolute',
    top: EDGE_Y - ADD_STAGE_SIZE / 2,
    right: -(SIZES.gap + ADD_STAGE_SIZE) / 2,
    width: ADD_STAGE_SIZE,
    height: ADD_STAGE_SIZE,
    display: 'flex',
    alignItems: 'center',
    justifyContent: 'center',
    padding: 0,
    borderRadius: '50%',
    border: `1px solid ${theme.palette.primary.main}`,
    background: theme.palette.background.paper,
    color: theme.palette.primary.main,
    cursor: 'pointer',
    zIndex: 1,
    '&:hover, &:focus-visible': {
      background: theme.palette.primary.main,
      color: theme.palette.primary.contrastText,
    },
  },
}));

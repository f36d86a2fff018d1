import { makeStyles } from '@material-ui/core/styles';
import AddIcon from '@material-ui/icons/Add';
import type { PipelineSource } from '@devops-pipelines/plugin-devops-common';
import { memo } from 'react';
import { Handle, Position, type NodeProps } from 'reactflow';
import { useCanvasEditor } from './CanvasEditorContext';
import { EDGE_Y, type SourceNodeData } from './layout';
import { useNodeStyles } from './nodeStyles';

const PROVIDERS: Record<PipelineSource['provider'], string> = {
  github: 'GitHub',
  gitlab: 'GitLab',
  git: 'Git',
};

const useStyles = makeStyles(theme => ({
  header: {
    padding: theme.spacing(1, 1, 0.5),
    fontWeight: 600,
  },
  line: {
    padding: theme.spacing(0, 1),
    overflow: 'hidden',
    whiteSpace: 'nowrap',
    textOverflow: 'ellipsis',
    fontSize: '0.75rem',
    color: theme.palette.text.secondary,
  },
  actions: {
    position: 'absolute',
    left: theme.spacing(1),
    bottom: theme.spacing(1),
    display: 'flex',
    gap: theme.spacing(1),
  },
  action: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
    background: 'none',
    color: theme.palette.primary.main,
    font: 'inherit',
    fontSize: '0.75rem',
    padding: theme.spacing(0.25, 1),
    cursor: 'pointer',
    '&:hover, &:focus-visible': { borderColor: theme.palette.primary.main },
  },
}));

/** The code source every run checks out: provider, repository and branch. */
export const SourceNode = memo(
  function SourceCard({ data }: NodeProps<SourceNodeData>) {
    const { source, editable, problems } = data;
    const classes = useStyles();
    const nodeClasses = useNodeStyles();
    const canvas = useCanvasEditor();
    const editor = editable ? canvas?.editor : undefined;
    return (
      <div
        className={`${nodeClasses.card} ${
          problems?.length ? nodeClasses.invalid : ''
        }`}
        data-testid="source-card"
        role="group"
        aria-label="Source"
      >
        <div className={classes.header}>Source</div>
        {source ? (
          <>
            <div className={classes.line}>{PROVIDERS[source.provider]}</div>
            <div className={classes.line} title={source.repository}>
              {source.repository}
            </div>
            <div className={classes.line}>Branch: {source.branch}</div>
          </>
        ) : (
          <div className={classes.line}>No code source</div>
        )}
        {problems?.map(message => (
          <div key={message} className={nodeClasses.problem} title={message}>
            {message}
          </div>
        ))}
        {editor && (
          <div className={classes.actions}>
            <button
              type="button"
              className={classes.action}
              onClick={editor.onEditSource}
            >
              {source ? 'Edit source' : 'Add source'}
            </button>
            {source && (
              <button
                type="button"
                className={classes.action}
                onClick={editor.onRemoveSource}
              >
                Remove source
              </button>
            )}
          </div>
        )}
        {editor && (
          <button
            type="button"
            className={nodeClasses.addStage}
            aria-label="Add stage after Source"
            title="Add stage"
            onClick={() => editor.onAddStage(-1)}
          >
            <AddIcon fontSize="small" />
          </button>
        )}
        <Handle
          type="source"
          position={Position.Right}
          isConnectable={false}
          className={nodeClasses.handle}
          style={{ top: EDGE_Y }}
        />
      </div>
    );
  },
  (previous, next) => previous.data === next.data,
);

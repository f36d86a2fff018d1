import { makeStyles } from '@material-ui/core/styles';
import type {
  PipelineSpec,
  Run,
  TaskTypeInfo,
} from '@devops-pipelines/plugin-devops-common';
import { memo, useMemo, useRef, useState } from 'react';
import ReactFlow, {
  Background,
  Controls,
  ReactFlowProvider,
  type NodeTypes,
  type ReactFlowInstance,
} from 'reactflow';
import 'reactflow/dist/style.css';
import { CardMenu } from './CardMenu';
import {
  CanvasEditorContext,
  type CanvasEditorContextValue,
  type MenuTarget,
} from './CanvasEditorContext';
import { createDragStore } from './dragStore';
import {
  firstViewZoom,
  layoutPipeline,
  pipelineEdges,
  type CanvasNode,
} from './layout';
import { SourceNode } from './SourceNode';
import { StageNode } from './StageNode';
import { StatusLegend } from './StatusLegend';
import { TaskTypeTitlesContext, taskTypeTitles } from './taskTypeTitles';
import type { CanvasProblems, PipelineCanvasEditor } from './types';
import { useFocusPan } from './useFocusPan';

/** @public */
export type PipelineCanvasProps = {
  spec: PipelineSpec;
  /** Colours every stage and task by its status in this run, with a legend. */
  run?: Run;
  /** Makes the canvas editable; without it, it is a read-only drawing. */
  editor?: PipelineCanvasEditor;
  /** Problems to highlight on the cards they concern. */
  problems?: CanvasProblems;
  /**
   * The portal's task types, whose titles the cards show; without them, the built-in
   * types' titles and the other types' ids.
   */
  taskTypes?: readonly TaskTypeInfo[];
};

// Module constants: React Flow re-creates every node when nodeTypes change identity.
const NODE_TYPES: NodeTypes = { source: SourceNode, stage: StageNode };
// The drawing starts right of the zoom controls (bottom left), so that they cover
// neither the Source card nor the "+" after the last stage in the first view.
const DEFAULT_VIEWPORT = { x: 60, y: 16, zoom: 1 };
const MIN_HEIGHT = 240;
const MAX_HEIGHT = 640;

const useStyles = makeStyles(theme => ({
  canvas: {
    border: `1px solid ${theme.palette.divider}`,
    borderRadius: 4,
    background: theme.palette.background.paper,
    // Cards use the page's font, not React Flow's.
    '& .react-flow__node': { fontFamily: theme.typography.fontFamily },
  },
}));

const CanvasFlow = (props: PipelineCanvasProps) => {
  const { spec, run, editor, problems, taskTypes } = props;
  const classes = useStyles();
  const editable = Boolean(editor);
  const previousNodes = useRef<CanvasNode[]>([]);
  const layout = useMemo(() => {
    const next = layoutPipeline(
      spec,
      { editable, run, problems },
      previousNodes.current,
    );
    previousNodes.current = next.nodes;
    return next;
  }, [spec, editable, run, problems]);
  const stageCount = spec.stages.length;
  const edges = useMemo(() => pipelineEdges(stageCount), [stageCount]);

  const [menu, setMenu] = useState<{
    anchor: HTMLElement;
    target: MenuTarget;
  }>();
  const dragStore = useMemo(createDragStore, []);
  const context = useMemo<CanvasEditorContextValue | undefined>(
    () =>
      editor && {
        editor,
        dragStore,
        openMenu: (anchor, target) => setMenu({ anchor, target }),
      },
    [editor, dragStore],
  );
  const titles = useMemo(() => taskTypeTitles(taskTypes), [taskTypes]);
  const onFocus = useFocusPan();
  const container = useRef<HTMLDivElement>(null);
  // Zoomed out as far as needed for the whole width to show at first; later edits
  // leave the zoom alone, so the drawing does not jump while it is being changed.
  const fitWidthAtFirst = (instance: ReactFlowInstance) => {
    const room = (container.current?.clientWidth ?? 0) - 2 * DEFAULT_VIEWPORT.x;
    instance.setViewport({
      ...DEFAULT_VIEWPORT,
      zoom: firstViewZoom(room, layout.width),
    });
  };

  const height = Math.min(
    Math.max(layout.height + 2 * DEFAULT_VIEWPORT.y, MIN_HEIGHT),
    MAX_HEIGHT,
  );

  return (
    <>
      <div
        ref={container}
        className={classes.canvas}
        data-testid="pipeline-canvas"
        style={{ height }}
        onFocus={onFocus}
      >
        <CanvasEditorContext.Provider value={context}>
          <TaskTypeTitlesContext.Provider value={titles}>
            <ReactFlow
              nodes={layout.nodes}
              edges={edges}
              nodeTypes={NODE_TYPES}
              defaultViewport={DEFAULT_VIEWPORT}
              onInit={fitWidthAtFirst}
              minZoom={0.2}
              maxZoom={1.5}
              // Cards are rearranged by the editor's drag and drop, never placed by hand.
              nodesDraggable={false}
              nodesConnectable={false}
              nodesFocusable={false}
              edgesFocusable={false}
              elementsSelectable={false}
              deleteKeyCode={null}
              selectionKeyCode={null}
              multiSelectionKeyCode={null}
              zoomOnDoubleClick={false}
              // Columns of many tasks are taller than the view: the wheel pans, and
              // Ctrl+wheel or a pinch zooms.
              panOnScroll
            >
              <Background gap={24} size={1} />
              <Controls showInteractive={false} position="bottom-left" />
            </ReactFlow>
          </TaskTypeTitlesContext.Provider>
        </CanvasEditorContext.Provider>
        {editor && menu && (
          <CardMenu
            anchor={menu.anchor}
            target={menu.target}
            editor={editor}
            spec={spec}
            onClose={() => setMenu(undefined)}
          />
        )}
      </div>
      {run && <StatusLegend />}
    </>
  );
};

/**
 * A pipeline drawn as cards: the Source card, then the stages left to right with their
 * tasks stacked inside. Read-only by default (optionally coloured by a run's statuses);
 * editable with every operation of the canvas editor when given an `editor`.
 *
 * @public
 */
export const PipelineCanvas = memo(function PipelineCanvasFlow(
  props: PipelineCanvasProps,
) {
  return (
    <ReactFlowProvider>
      <CanvasFlow {...props} />
    </ReactFlowProvider>
  );
});

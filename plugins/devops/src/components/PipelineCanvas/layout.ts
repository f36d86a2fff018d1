import type {
  PipelineSource,
  PipelineSpec,
  Run,
  Stage,
  StageRun,
} from '@devops-pipelines/plugin-devops-common';
import type { Edge, Node } from 'reactflow';
import type { CanvasProblems, StageProblems } from './types';

/**
 * Card sizes in pixels. The layout is computed rather than measured: every node gets
 * its final size up front, so React Flow shows it at once and re-measures nothing.
 */
export const SIZES = {
  sourceWidth: 220,
  sourceHeight: 136,
  stageWidth: 240,
  /** Between columns; the "add stage" button sits in it, on the edge. */
  gap: 72,
  headerHeight: 56,
  taskHeight: 60,
  taskGap: 8,
  padding: 8,
  problemLine: 20,
  addTaskHeight: 40,
} as const;

/** The y of the edges and of the "add stage" buttons: level with the stage names. */
export const EDGE_Y = SIZES.headerHeight / 2;

export type SourceNodeData = {
  source?: PipelineSource;
  editable: boolean;
  problems?: string[];
};

export type StageNodeData = {
  stage: Stage;
  index: number;
  editable: boolean;
  /** The stage of the run, when it ran with this stage at this position. */
  stageRun?: StageRun;
  problems?: StageProblems;
};

export type SourceNode = Node<SourceNodeData, 'source'>;
export type StageNode = Node<StageNodeData, 'stage'>;
export type CanvasNode = SourceNode | StageNode;

export type LayoutOptions = {
  editable: boolean;
  run?: Run;
  problems?: CanvasProblems;
};

/**
 * React Flow lets a node take pointer events only when it is selectable, draggable or
 * has handlers of its own; these have none, but their buttons must be clickable.
 */
const nodeStyle = (width: number, height: number) => ({
  width,
  height,
  pointerEvents: 'all' as const,
});

/**
 * A press on a card is a click or the start of a card's drag, never a pan of the view:
 * panning would swallow the press and cancel the drag.
 */
const NO_PAN = 'nopan';

export const stageNodeId = (index: number) => `stage-${index}`;

export function stageHeight(
  stage: Stage,
  editable: boolean,
  problems?: StageProblems,
): number {
  const slots = Math.max(stage.tasks.length, 1);
  return (
    SIZES.headerHeight +
    (problems?.messages.length ?? 0) * SIZES.problemLine +
    slots * (SIZES.taskHeight + SIZES.taskGap) +
    (editable ? SIZES.addTaskHeight : 0) +
    SIZES.padding
  );
}

export const stageX = (index: number) =>
  SIZES.sourceWidth + SIZES.gap + index * (SIZES.stageWidth + SIZES.gap);

/**
 * A run's snapshot may predate an edit of the pipeline: its stage only colours this one
 * when it is the same stage, at the same place under the same name.
 */
function stageRunFor(run: Run | undefined, stage: Stage, index: number) {
  const stageRun = run?.stages[index];
  return stageRun?.name === stage.name ? stageRun : undefined;
}

function sameProblems(a?: StageProblems, b?: StageProblems) {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function sameStageData(a: StageNodeData, b: StageNodeData) {
  return (
    a.stage === b.stage &&
    a.index === b.index &&
    a.editable === b.editable &&
    a.stageRun === b.stageRun &&
    sameProblems(a.problems, b.problems)
  );
}

function sameSourceData(a: SourceNodeData, b: SourceNodeData) {
  return (
    a.source === b.source &&
    a.editable === b.editable &&
    JSON.stringify(a.problems) === JSON.stringify(b.problems)
  );
}

function reuse<T extends CanvasNode>(
  next: T,
  previous: CanvasNode | undefined,
  sameData: (a: T['data'], b: T['data']) => boolean,
): T {
  if (
    previous &&
    previous.type === next.type &&
    previous.position.x === next.position.x &&
    previous.height === next.height &&
    sameData(previous.data as T['data'], next.data)
  ) {
    return previous as T;
  }
  return next;
}

export type Layout = {
  nodes: CanvasNode[];
  /** The height of the tallest card. */
  height: number;
  /** From the Source card's left edge to past the last stage's "add stage" button. */
  width: number;
};

/** Below this the cards' text is too small to read: a wider drawing pans instead. */
export const MIN_FIRST_VIEW_ZOOM = 0.6;

/**
 * The zoom of the first view: 1 when the drawing fits the room it has, else as small as
 * needed for it to fit (so a new pipeline's Deploy column is not cut off at the edge),
 * but not below {@link MIN_FIRST_VIEW_ZOOM}.
 */
export function firstViewZoom(room: number, drawingWidth: number): number {
  if (room <= 0 || drawingWidth <= room) return 1;
  return Math.max(MIN_FIRST_VIEW_ZOOM, room / drawingWidth);
}

/**
 * The Source card, then one column per stage, left to right. Nodes whose content did
 * not change are the very objects of `previous`, so that React Flow and the memoised
 * node components skip them: editing one task of a 30-stage pipeline re-renders one
 * column.
 */
export function layoutPipeline(
  spec: PipelineSpec,
  options: LayoutOptions,
  previous: readonly CanvasNode[] = [],
): Layout {
  const { editable, run, problems } = options;
  const before = new Map(previous.map(node => [node.id, node]));
  const source: SourceNode = {
    id: 'source',
    type: 'source',
    className: NO_PAN,
    position: { x: 0, y: 0 },
    width: SIZES.sourceWidth,
    height: SIZES.sourceHeight,
    style: nodeStyle(SIZES.sourceWidth, SIZES.sourceHeight),
    data: { source: spec.source, editable, problems: problems?.source },
  };
  let height: number = SIZES.sourceHeight;
  const stages = spec.stages.map((stage, index): StageNode => {
    const stageProblems = problems?.stages[index];
    const nodeHeight = stageHeight(stage, editable, stageProblems);
    height = Math.max(height, nodeHeight);
    return reuse(
      {
        id: stageNodeId(index),
        type: 'stage',
        className: NO_PAN,
        position: { x: stageX(index), y: 0 },
        width: SIZES.stageWidth,
        height: nodeHeight,
        style: nodeStyle(SIZES.stageWidth, nodeHeight),
        data: {
          stage,
          index,
          editable,
          stageRun: stageRunFor(run, stage, index),
          problems: stageProblems,
        },
      },
      before.get(stageNodeId(index)),
      sameStageData,
    );
  });
  return {
    nodes: [reuse(source, before.get('source'), sameSourceData), ...stages],
    height,
    // Every stage is followed by a gap, which holds its "add stage" button.
    width: stageX(spec.stages.length),
  };
}

/** Source → first stage → ... → last stage. */
export function pipelineEdges(stageCount: number): Edge[] {
  const ids = ['source'];
  for (let i = 0; i < stageCount; i++) ids.push(stageNodeId(i));
  return ids.slice(1).map((target, i) => ({
    id: `${ids[i]}->${target}`,
    source: ids[i],
    target,
    type: 'straight',
    focusable: false,
  }));
}

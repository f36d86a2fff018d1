import {
  MIN_FIRST_VIEW_ZOOM,
  firstViewZoom,
  layoutPipeline,
  pipelineEdges,
  SIZES,
  stageX,
} from './layout';
import { largeSpec, sampleRun, sampleSpec } from './__testUtils__/pipelines';

describe('layoutPipeline', () => {
  it('puts the Source card first and the stages left to right', () => {
    const { nodes, height } = layoutPipeline(sampleSpec(), { editable: true });
    expect(nodes.map(n => [n.id, n.position.x])).toEqual([
      ['source', 0],
      ['stage-0', SIZES.sourceWidth + SIZES.gap],
      ['stage-1', SIZES.sourceWidth + SIZES.gap + SIZES.stageWidth + SIZES.gap],
    ]);
    const build = nodes[1];
    expect(build.height).toBe(
      SIZES.headerHeight +
        2 * (SIZES.taskHeight + SIZES.taskGap) +
        SIZES.addTaskHeight +
        SIZES.padding,
    );
    expect(height).toBe(build.height);
  });

  it('gives a read-only column no room for the "add task" button', () => {
    const editable = layoutPipeline(sampleSpec(), { editable: true });
    const readOnly = layoutPipeline(sampleSpec(), { editable: false });
    expect(editable.nodes[1].height! - readOnly.nodes[1].height!).toBe(
      SIZES.addTaskHeight,
    );
  });

  it('hands each stage the stage of the run that has its name', () => {
    const { nodes } = layoutPipeline(sampleSpec(), {
      editable: false,
      run: sampleRun(),
    });
    expect(nodes[1].data).toMatchObject({ stageRun: { status: 'failed' } });
  });

  it('keeps the node objects of unchanged stages, for the cards to skip', () => {
    const spec = largeSpec(30, 20);
    const first = layoutPipeline(spec, { editable: true });
    const stages = [...spec.stages];
    stages[7] = { ...stages[7], name: 'Renamed' };
    const second = layoutPipeline(
      { ...spec, stages },
      { editable: true },
      first.nodes,
    );
    const reused = second.nodes.filter((node, i) => node === first.nodes[i]);
    expect(reused).toHaveLength(30);
    expect(second.nodes[8]).not.toBe(first.nodes[8]);
  });

  it('keeps nodes whose problems are equal but newly computed', () => {
    const spec = sampleSpec();
    const problems = () => ({
      stages: {
        1: { messages: ['a stage needs at least one task'], tasks: {} },
      },
    });
    const first = layoutPipeline(spec, {
      editable: true,
      problems: problems(),
    });
    const second = layoutPipeline(
      spec,
      { editable: true, problems: problems() },
      first.nodes,
    );
    expect(second.nodes).toEqual(first.nodes);
    second.nodes.forEach((node, i) => expect(node).toBe(first.nodes[i]));
  });

  it('links Source to the first stage and each stage to the next', () => {
    expect(pipelineEdges(2).map(e => e.id)).toEqual([
      'source->stage-0',
      'stage-0->stage-1',
    ]);
    expect(pipelineEdges(0)).toEqual([]);
    expect(stageX(1) - stageX(0)).toBe(SIZES.stageWidth + SIZES.gap);
  });
});

describe('firstViewZoom', () => {
  it("zooms out just enough for a new pipeline's three stages to fit, never below the readable zoom", () => {
    const { width } = layoutPipeline(
      {
        stages: ['Build', 'Test', 'Deploy'].map(name => ({
          name,
          order: 'sequential' as const,
          tasks: [],
        })),
      },
      { editable: true },
    );
    expect(width).toBe(stageX(3));
    // Room for it: as drawn.
    expect(firstViewZoom(width + 10, width)).toBe(1);
    // A 1280 px window's page leaves about 960 px: zoomed out to fit.
    expect(firstViewZoom(960, width)).toBeCloseTo(960 / width);
    expect(firstViewZoom(960, width) * width).toBeLessThanOrEqual(960);
    // Thirty stages would be unreadable at a fitting zoom: they pan instead.
    expect(firstViewZoom(960, stageX(30))).toBe(MIN_FIRST_VIEW_ZOOM);
    // Not measured (no layout): as drawn.
    expect(firstViewZoom(0, width)).toBe(1);
  });
});

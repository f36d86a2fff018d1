import {
  BUILT_IN_VARIABLES,
  builtInVariables,
  isBuiltInVariable,
  mergeVariables,
} from './builtins';

const ctx = {
  buildId: 7,
  pipelineName: 'deploy-2048-yaml',
  pipelineId: 'p-1',
  trigger: { type: 'push' as const, event: 'push a6a16470 to master' },
  commit: 'a6a16470c0ffee',
  branch: 'master',
};

describe('builtInVariables', () => {
  it('describes the run', () => {
    expect(builtInVariables({ ...ctx, tag: 'v1.0' })).toEqual({
      BUILD_ID: '7',
      GIT_COMMIT: 'a6a16470c0ffee',
      GIT_BRANCH: 'master',
      GIT_TAG: 'v1.0',
      PIPELINE_NAME: 'deploy-2048-yaml',
      PIPELINE_ID: 'p-1',
      TRIGGER: 'push',
    });
  });

  it('defines every built-in name, as empty text when the run has no value for it', () => {
    const values = builtInVariables({
      buildId: 1,
      pipelineName: 'p',
      pipelineId: 'id',
      trigger: { type: 'manual', user: 'jack' },
    });
    expect(Object.keys(values).sort()).toEqual([...BUILT_IN_VARIABLES].sort());
    expect(values).toMatchObject({
      GIT_COMMIT: '',
      GIT_BRANCH: '',
      GIT_TAG: '',
      TRIGGER: 'manual',
    });
  });
});

describe('isBuiltInVariable', () => {
  it.each(BUILT_IN_VARIABLES)('knows %s', name => {
    expect(isBuiltInVariable(name)).toBe(true);
  });

  it.each(['VERSION', 'build_id', 'BUILD', 'constructor'])(
    'does not know %s',
    name => {
      expect(isBuiltInVariable(name)).toBe(false);
    },
  );
});

describe('mergeVariables', () => {
  const builtIns = builtInVariables(ctx);
  const statics = { REGISTRY: 'static', VERSION: 'static', ONLY_STATIC: 's' };
  const runParams = { VERSION: 'param', TARGET: 'param' };
  const outputsOfTask1 = { TARGET: 'output-1', IMAGE: 'output-1' };
  const outputsOfTask2 = { IMAGE: 'output-2' };

  it('lets static parameters < run params < dynamic outputs, later outputs last', () => {
    expect(
      mergeVariables(
        builtIns,
        statics,
        runParams,
        outputsOfTask1,
        outputsOfTask2,
      ),
    ).toEqual({
      ...builtIns,
      REGISTRY: 'static',
      ONLY_STATIC: 's',
      VERSION: 'param',
      TARGET: 'output-1',
      IMAGE: 'output-2',
    });
  });

  it('never lets a parameter, run param or output override a built-in', () => {
    const merged = mergeVariables(
      builtIns,
      { BUILD_ID: 'static', GIT_BRANCH: 'static' },
      { BUILD_ID: 'param', TRIGGER: 'param' },
      { BUILD_ID: 'output', GIT_COMMIT: 'output', PIPELINE_NAME: 'output' },
    );
    expect(merged).toEqual(builtIns);
  });

  it('keeps an empty built-in over a value from a layer', () => {
    const merged = mergeVariables(builtInVariables(ctx), { GIT_TAG: 'v9' });
    expect(merged.GIT_TAG).toBe('');
  });

  it('skips missing layers', () => {
    expect(mergeVariables(builtIns, undefined, { A: '1' }, undefined)).toEqual({
      ...builtIns,
      A: '1',
    });
    expect(mergeVariables(builtIns)).toEqual(builtIns);
  });

  it('changes none of its inputs', () => {
    const layer = { A: '1', BUILD_ID: 'x' };
    const builtInsBefore = { ...builtIns };
    mergeVariables(builtIns, layer, { A: '2' });
    expect(layer).toEqual({ A: '1', BUILD_ID: 'x' });
    expect(builtIns).toEqual(builtInsBefore);
  });

  it('keeps a variable named __proto__ as an own value', () => {
    const output = JSON.parse('{"__proto__":"x"}');
    const merged = mergeVariables(builtIns, output);
    expect(Object.prototype.hasOwnProperty.call(merged, '__proto__')).toBe(
      true,
    );
    expect(Object.getOwnPropertyDescriptor(merged, '__proto__')?.value).toBe(
      'x',
    );
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
  });
});

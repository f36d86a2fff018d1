import { describeIssues } from './validation';
import {
  copyPipelineRequestSchema,
  rerunRequestSchema,
  runPipelineRequestSchema,
  updatePipelineRequestSchema,
  updateSettingsRequestSchema,
  updateTriggersRequestSchema,
} from './requests';
import { issuesOf, minimalDocument } from '../__testUtils__/documents';

describe('updatePipelineRequestSchema', () => {
  it('takes the document with the version it was read at', () => {
    const parsed = updatePipelineRequestSchema.parse({
      ...minimalDocument(),
      version: 3,
    });
    expect(parsed.version).toBe(3);
    expect(parsed.spec.stages[0].order).toBe('sequential');
  });

  it.each([
    [undefined, 'version: Invalid input: expected number, received undefined'],
    [0, 'version: Too small: expected number to be >=1'],
    [1.5, 'version: Invalid input: expected int, received number'],
  ])('rejects version %j', (version, issue) => {
    expect(
      issuesOf(updatePipelineRequestSchema, { ...minimalDocument(), version }),
    ).toEqual([issue]);
  });

  it('stays strict about unknown fields', () => {
    const result = updatePipelineRequestSchema.safeParse({
      ...minimalDocument(),
      version: 1,
      status: {},
    });
    expect(describeIssues(result.error!)).toBe('status: unknown field');
  });

  it('validates the document inside', () => {
    const doc = minimalDocument();
    doc.spec.stages = [];
    expect(
      issuesOf(updatePipelineRequestSchema, { ...doc, version: 1 }),
    ).toEqual(['spec.stages: a pipeline needs at least one stage']);
  });
});

describe('copyPipelineRequestSchema', () => {
  it('takes a name and an optional title', () => {
    expect(
      copyPipelineRequestSchema.parse({ name: 'copy-1', title: 'Copy' }),
    ).toEqual({ name: 'copy-1', title: 'Copy' });
    expect(copyPipelineRequestSchema.parse({ name: 'copy-1' })).toEqual({
      name: 'copy-1',
    });
  });

  it.each(['Copy', 'a'.repeat(64), '', 'my copy'])(
    'rejects the name %j',
    name => {
      expect(issuesOf(copyPipelineRequestSchema, { name })).toEqual([
        'name: must be 1 to 63 characters of lowercase letters, digits and "-"',
      ]);
    },
  );

  it('requires the name', () => {
    expect(issuesOf(copyPipelineRequestSchema, {})).toEqual([
      'name: a name is required',
    ]);
  });
});

describe('updateTriggersRequestSchema', () => {
  it('is the triggers block', () => {
    expect(
      updateTriggersRequestSchema.parse({
        schedule: { every: 'month', day: 31, time: '02:00' },
      }),
    ).toEqual({ schedule: { every: 'month', day: 31, time: '02:00' } });
    expect(
      issuesOf(updateTriggersRequestSchema, {
        schedule: { every: 'minutes', interval: 0 },
      }),
    ).toEqual(['schedule.interval: Too small: expected number to be >=1']);
  });
});

describe('updateSettingsRequestSchema', () => {
  it('takes a timeout from 0 to 20160 minutes', () => {
    expect(updateSettingsRequestSchema.parse({ timeoutMinutes: 0 })).toEqual({
      timeoutMinutes: 0,
    });
    expect(
      updateSettingsRequestSchema.parse({ timeoutMinutes: 20160 }),
    ).toEqual({ timeoutMinutes: 20160 });
  });

  it.each([
    [-1, 'must be 0 (no timeout) or a positive number of minutes'],
    [20161, 'must be at most 20160 minutes (14 days)'],
    [undefined, 'Invalid input: expected number, received undefined'],
  ])('rejects %j', (timeoutMinutes, message) => {
    expect(issuesOf(updateSettingsRequestSchema, { timeoutMinutes })).toEqual([
      `timeoutMinutes: ${message}`,
    ]);
  });

  it('takes who hears of ended runs, or leaves it unchanged', () => {
    for (const notifications of ['off', 'failures', 'all'] as const) {
      expect(
        updateSettingsRequestSchema.parse({ timeoutMinutes: 5, notifications }),
      ).toEqual({ timeoutMinutes: 5, notifications });
    }
    expect(
      issuesOf(updateSettingsRequestSchema, {
        timeoutMinutes: 5,
        notifications: 'always',
      }),
    ).toEqual(['notifications: must be off, failures or all']);
  });
});

describe('runPipelineRequestSchema', () => {
  it('takes no params or named string params', () => {
    expect(runPipelineRequestSchema.parse({})).toEqual({});
    expect(
      runPipelineRequestSchema.parse({ params: { VERSION: '1.2', _x: '' } }),
    ).toEqual({ params: { VERSION: '1.2', _x: '' } });
  });

  it('explains why a param name is not valid', () => {
    const result = runPipelineRequestSchema.safeParse({
      params: { 'MY-VAR': 'x' },
    });
    expect(describeIssues(result.error!)).toBe(
      'params["MY-VAR"]: invalid name: must start with a letter or "_" and hold only letters, digits and "_"',
    );
  });

  it('refuses to set a built-in variable', () => {
    const result = runPipelineRequestSchema.safeParse({
      params: { BUILD_ID: '99', VERSION: '1' },
    });
    expect(describeIssues(result.error!)).toBe(
      'params.BUILD_ID: invalid name: "BUILD_ID" is a built-in variable, set by the platform for every run',
    );
  });

  it('rejects values that are not strings', () => {
    expect(
      issuesOf(runPipelineRequestSchema, { params: { COUNT: 3 } }),
    ).toEqual([
      'params.COUNT: Invalid input: expected string, received number',
    ]);
  });
});

describe('rerunRequestSchema', () => {
  it('takes an optional latestCommit flag and nothing else', () => {
    expect(rerunRequestSchema.parse({})).toEqual({});
    expect(rerunRequestSchema.parse({ latestCommit: true })).toEqual({
      latestCommit: true,
    });
    expect(
      describeIssues(rerunRequestSchema.safeParse({ commit: 'abc' }).error!),
    ).toBe('commit: unknown field');
  });
});

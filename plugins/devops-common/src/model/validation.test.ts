import { z } from 'zod';
import { describeIssues, formatIssuePath } from './validation';
import { pipelineDocumentSchema } from './pipeline';
import { designExampleDocument } from '../__testUtils__/documents';

describe('formatIssuePath', () => {
  it.each<[PropertyKey[], string]>([
    [[], ''],
    [['metadata'], 'metadata'],
    [['spec', 'stages', 1, 'tasks', 0, 'type'], 'spec.stages[1].tasks[0].type'],
    [[0, 'name'], '[0].name'],
    [['spec', 'parameters', 10], 'spec.parameters[10]'],
    [['params', '_x1'], 'params._x1'],
    [['params', 'MY-VAR'], 'params["MY-VAR"]'],
    [['values', 'app.kubernetes.io/name'], 'values["app.kubernetes.io/name"]'],
    [['values', '0'], 'values["0"]'],
    [['values', ''], 'values[""]'],
    [['values', 'say "hi"'], 'values["say \\"hi\\""]'],
    [[Symbol('key')], '[Symbol(key)]'],
  ])('formats %j as %s', (path, text) => {
    expect(formatIssuePath(path)).toBe(text);
  });
});

describe('describeIssues', () => {
  it('writes one entry per issue, led by its path, joined by "; "', () => {
    const input = designExampleDocument();
    input.metadata.name = 'Deploy';
    input.spec.stages[1].tasks[0].type = 'shell';
    input.spec.stages[2].tasks.push({
      name: 'chart',
      type: 'publishChart',
      chartPath: 'x',
      chart: 'y',
      version: '1',
    });
    input.spec.timeoutMinutes = -5;

    const result = pipelineDocumentSchema.safeParse(input);

    expect(result.success).toBe(false);
    expect(describeIssues(result.error!)).toBe(
      [
        'metadata.name: must be 1 to 63 characters of lowercase letters, digits and "-"',
        'spec.stages[1].tasks[0].type: unknown task type "shell": must be one of runScript, buildImage, deployYaml, publishChart, deployChart, or a module\'s <namespace>:<name>',
        'spec.stages[2].tasks[3].name: another task in stage "Deploy" is already named "chart"',
        'spec.timeoutMinutes: must be 0 (no timeout) or a positive number of minutes',
      ].join('; '),
    );
  });

  it('leaves out the path of an issue about the whole input', () => {
    const result = pipelineDocumentSchema.safeParse(null);
    expect(describeIssues(result.error!)).toBe(
      'Invalid input: expected object, received null',
    );
  });

  it('puts each unknown field in the path', () => {
    const result = z
      .strictObject({ a: z.strictObject({ b: z.string() }) })
      .safeParse({ a: { b: 'x', c: 1, 'd-e': 2 }, f: 3 });
    expect(describeIssues(result.error!)).toBe(
      'a.c: unknown field; a["d-e"]: unknown field; f: unknown field',
    );
  });

  it('says why a record key is invalid', () => {
    const result = z
      .record(z.string().regex(/^[a-z]+$/, 'must be lowercase'), z.number())
      .safeParse({ ok: 1, Bad: 2 });
    expect(describeIssues(result.error!)).toBe(
      'Bad: invalid name: must be lowercase',
    );
  });

  it('keeps custom messages and paths of refinements', () => {
    const schema = z
      .object({ list: z.array(z.number()) })
      .superRefine((_, ctx) => {
        ctx.addIssue({ code: 'custom', message: 'first', path: ['list', 0] });
        ctx.addIssue({ code: 'custom', message: 'whole' });
      });
    expect(describeIssues(schema.safeParse({ list: [1] }).error!)).toBe(
      'list[0]: first; whole',
    );
  });
});

import { InputError } from '@backstage/errors';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import {
  parameterValues,
  secretsWithoutValue,
  separateSecrets,
} from './parameters';
import { SecretBox } from './SecretBox';

const specWith = (parameters: PipelineSpec['parameters']): PipelineSpec => ({
  parameters,
  stages: [
    {
      name: 'Build',
      order: 'sequential',
      tasks: [
        {
          name: 'build',
          type: 'runScript',
          image: 'alpine',
          tag: '3',
          script: 'true',
        },
      ],
    },
  ],
});

describe('separateSecrets', () => {
  it('takes secret values out of the spec', () => {
    const { spec, secrets } = separateSecrets(
      specWith([
        { name: 'PLAIN', value: 'p' },
        { name: 'TOKEN', value: 't0ken', secret: true },
      ]),
    );

    expect(spec.parameters).toEqual([
      { name: 'PLAIN', value: 'p' },
      { name: 'TOKEN', secret: true },
    ]);
    expect(secrets).toEqual({ TOKEN: 't0ken' });
    expect(JSON.stringify(spec)).not.toContain('t0ken');
  });

  it('keeps the stored value of a secret sent without one, and drops removed secrets', () => {
    const { secrets } = separateSecrets(
      specWith([
        { name: 'KEPT', secret: true },
        { name: 'NEW', value: 'n', secret: true },
      ]),
      { KEPT: 'old', REMOVED: 'gone' },
    );

    expect(secrets).toEqual({ KEPT: 'old', NEW: 'n' });
  });

  it('refuses a secret without any value, naming the field', () => {
    const attempt = () =>
      separateSecrets(
        specWith([
          { name: 'A', value: 'a' },
          { name: 'B', secret: true },
        ]),
      );

    expect(attempt).toThrow(InputError);
    expect(attempt).toThrow(
      'spec.parameters[1].value: secret parameter "B" needs a value',
    );
  });

  it('accepts secrets without a value when asked to, and reports them', () => {
    const { spec, secrets } = separateSecrets(
      specWith([
        { name: 'SET', value: 's', secret: true },
        { name: 'UNSET', secret: true },
      ]),
      {},
      { allowMissing: true },
    );

    expect(secrets).toEqual({ SET: 's' });
    expect(secretsWithoutValue(spec, secrets)).toEqual(['UNSET']);
    expect(secretsWithoutValue(spec, { ...secrets, UNSET: 'u' })).toEqual([]);
  });
});

describe('parameterValues', () => {
  it('gives every static parameter, secret ones included', () => {
    const spec = specWith([
      { name: 'PLAIN', value: 'p' },
      { name: 'TOKEN', secret: true },
    ]);

    expect(parameterValues(spec, { TOKEN: 't' })).toEqual({
      PLAIN: 'p',
      TOKEN: 't',
    });
  });
});

describe('SecretBox', () => {
  it('round-trips values and stores no clear text', () => {
    const box = new SecretBox('passphrase');

    const sealed = box.seal({ TOKEN: 'clear-text-value' });

    expect(sealed).toMatch(/^v1:/);
    expect(sealed).not.toContain('clear-text-value');
    expect(box.open(sealed)).toEqual({ TOKEN: 'clear-text-value' });
    expect(box.seal({})).toBeNull();
    expect(box.open(null)).toEqual({});
  });

  it('fails loudly with the wrong key', () => {
    const sealed = new SecretBox('one key').seal({ TOKEN: 'x' });

    expect(() => new SecretBox('another key').open(sealed)).toThrow();
    expect(new SecretBox('another key').tryOpen(sealed)).toEqual({
      values: {},
      unreadable: true,
    });
    expect(new SecretBox('one key').tryOpen(sealed)).toEqual({
      values: { TOKEN: 'x' },
      unreadable: false,
    });
  });
});

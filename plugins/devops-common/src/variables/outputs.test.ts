import { parseTaskOutputs } from './outputs';

describe('parseTaskOutputs', () => {
  it('reads NAME=value lines', () => {
    expect(parseTaskOutputs('VERSION=1.2.42\nIMAGE_TAG=alpha-42\n')).toEqual({
      values: { VERSION: '1.2.42', IMAGE_TAG: 'alpha-42' },
      invalidLines: [],
    });
  });

  it('reads nothing from an empty file', () => {
    expect(parseTaskOutputs('')).toEqual({ values: {}, invalidLines: [] });
  });

  it('splits at the first "=", so values may hold "="', () => {
    expect(
      parseTaskOutputs('URL=https://x.example.com/?a=1&b=2\nEQ==\n').values,
    ).toEqual({
      URL: 'https://x.example.com/?a=1&b=2',
      EQ: '=',
    });
  });

  it('accepts an empty value', () => {
    expect(parseTaskOutputs('EMPTY=\n').values).toEqual({ EMPTY: '' });
  });

  it('skips blank lines and # comments', () => {
    expect(
      parseTaskOutputs('\n\nA=1\n   \n# B=2\n  # indented comment\n\t\nC=3'),
    ).toEqual({ values: { A: '1', C: '3' }, invalidLines: [] });
  });

  it('reads CRLF line endings without keeping the carriage return', () => {
    expect(parseTaskOutputs('A=1\r\nB=two words\r\n\r\n# c\r\n')).toEqual({
      values: { A: '1', B: 'two words' },
      invalidLines: [],
    });
  });

  it('trims the whitespace around a line', () => {
    expect(parseTaskOutputs('  A=1  \n\tB=2\t').values).toEqual({
      A: '1',
      B: '2',
    });
  });

  it('returns the lines that are not assignments, as written, and reads the rest', () => {
    const content = [
      'GOOD=1',
      'just some log output',
      '=no-name',
      '1ST=x',
      'MY-VAR=x',
      'export A=1',
      'ALSO_GOOD=2',
    ].join('\n');
    expect(parseTaskOutputs(content)).toEqual({
      values: { GOOD: '1', ALSO_GOOD: '2' },
      invalidLines: [
        'just some log output',
        '=no-name',
        '1ST=x',
        'MY-VAR=x',
        'export A=1',
      ],
    });
  });

  it('lets a later assignment win', () => {
    expect(parseTaskOutputs('A=1\nB=x\nA=2\n').values).toEqual({
      A: '2',
      B: 'x',
    });
  });

  it('keeps a variable named __proto__ as an ordinary value', () => {
    const { values } = parseTaskOutputs('__proto__=x\nA=1');
    expect(Object.keys(values)).toEqual(['__proto__', 'A']);
    expect(Object.getOwnPropertyDescriptor(values, '__proto__')?.value).toBe(
      'x',
    );
    expect(Object.getPrototypeOf(values)).toBe(Object.prototype);
  });
});

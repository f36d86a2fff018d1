import { appendToLog, emptyLogBuffer, type LogBuffer } from './logBuffer';

const lines = (from: number, to: number) =>
  Array.from({ length: to - from + 1 }, (_, i) => `line ${from + i}\n`).join(
    '',
  );

describe('appendToLog', () => {
  it('joins chunks line by line, without a trailing newline', () => {
    let buffer = appendToLog(emptyLogBuffer, 'a\nb\n');
    buffer = appendToLog(buffer, 'c\n');

    expect(buffer).toEqual({ text: 'a\nb\nc', lines: 3, droppedLines: 0 });
  });

  it('keeps appending to the same text, which the viewer parses incrementally', () => {
    const first = appendToLog(emptyLogBuffer, lines(1, 3));
    const second = appendToLog(first, lines(4, 4));

    expect(second.text.startsWith(first.text)).toBe(true);
  });

  it('drops the oldest lines past the line cap, down to 90% of it', () => {
    const limits = { maxLines: 100, maxChars: 1_000_000 };
    let buffer: LogBuffer = emptyLogBuffer;
    for (let i = 1; i <= 101; i++) {
      buffer = appendToLog(buffer, `line ${i}\n`, limits);
    }

    expect(buffer.lines).toBe(90);
    expect(buffer.droppedLines).toBe(11);
    expect(buffer.text.split('\n')[0]).toBe('line 12');
    expect(buffer.text.endsWith('line 101')).toBe(true);
  });

  it('drops whole lines past the character cap', () => {
    const limits = { maxLines: 1000, maxChars: 100 };
    // Ten lines of 19 characters and a newline each.
    let buffer = appendToLog(
      emptyLogBuffer,
      `${'x'.repeat(19)}\n`.repeat(4),
      limits,
    );
    buffer = appendToLog(buffer, `${'y'.repeat(19)}\n`.repeat(6), limits);

    expect(buffer.text.length).toBeLessThanOrEqual(90);
    expect(buffer.text.split('\n').every(l => l.length === 19)).toBe(true);
    expect(buffer.lines).toBe(buffer.text.split('\n').length);
    expect(buffer.lines + buffer.droppedLines).toBe(10);
  });

  it('keeps a single line longer than the character cap', () => {
    const buffer = appendToLog(
      appendToLog(emptyLogBuffer, 'short\n', { maxLines: 10, maxChars: 10 }),
      `${'z'.repeat(50)}\n`,
      { maxLines: 10, maxChars: 10 },
    );

    expect(buffer).toEqual({ text: 'z'.repeat(50), lines: 1, droppedLines: 1 });
  });
});

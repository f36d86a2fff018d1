/**
 * The most a log view keeps. LogViewer scrolls 100,000 lines smoothly; past that the
 * oldest lines go, and the page says how many (the full log is a download away).
 */
export const MAX_LOG_LINES = 100_000;
/** About 200 bytes a line at the line cap; guards against a few enormous lines. */
export const MAX_LOG_CHARS = 20_000_000;
/**
 * A trim keeps 90% of a cap. LogViewer parses appended text incrementally but re-reads
 * the whole text after a trim, so trims come once per 10% of a cap, not every chunk.
 */
const KEEP_AFTER_TRIM = 0.9;

export type LogBuffer = {
  /** The kept lines, joined by newlines, without a trailing one. */
  text: string;
  lines: number;
  /** Lines dropped from the start to stay within the caps. */
  droppedLines: number;
};

export const emptyLogBuffer: LogBuffer = {
  text: '',
  lines: 0,
  droppedLines: 0,
};

export type LogLimits = { maxLines: number; maxChars: number };

function countNewlines(text: string, end = text.length): number {
  let count = 0;
  for (
    let i = text.indexOf('\n');
    i !== -1 && i < end;
    i = text.indexOf('\n', i + 1)
  ) {
    count += 1;
  }
  return count;
}

/** The index just after the `n`th newline of `text`. */
function afterNewlines(text: string, n: number): number {
  let index = -1;
  for (let i = 0; i < n; i++) {
    index = text.indexOf('\n', index + 1);
  }
  return index + 1;
}

function trim(buffer: LogBuffer, limits: LogLimits): LogBuffer {
  let drop = 0;
  if (buffer.lines > limits.maxLines) {
    drop = buffer.lines - Math.floor(limits.maxLines * KEEP_AFTER_TRIM);
  }
  let cut = afterNewlines(buffer.text, drop);
  if (buffer.text.length - cut > limits.maxChars) {
    // Cut at the first line start past the character budget.
    const budgetStart =
      buffer.text.length - Math.floor(limits.maxChars * KEEP_AFTER_TRIM);
    const lineEnd = buffer.text.indexOf('\n', budgetStart - 1);
    // One line longer than the whole budget: keep it, however long.
    cut = lineEnd === -1 ? buffer.text.lastIndexOf('\n') + 1 : lineEnd + 1;
    drop = countNewlines(buffer.text, cut);
  }
  if (drop === 0) {
    return buffer;
  }
  return {
    text: buffer.text.slice(cut),
    lines: buffer.lines - drop,
    droppedLines: buffer.droppedLines + drop,
  };
}

/** Appends the lines of a chunk (`text` ends with a newline) within the caps. */
export function appendToLog(
  buffer: LogBuffer,
  text: string,
  limits: LogLimits = { maxLines: MAX_LOG_LINES, maxChars: MAX_LOG_CHARS },
): LogBuffer {
  const piece = text.endsWith('\n') ? text.slice(0, -1) : text;
  const appended: LogBuffer = {
    text: buffer.lines === 0 ? piece : `${buffer.text}\n${piece}`,
    lines: buffer.lines + countNewlines(piece) + 1,
    droppedLines: buffer.droppedLines,
  };
  const overCap =
    appended.lines > limits.maxLines || appended.text.length > limits.maxChars;
  return overCap ? trim(appended, limits) : appended;
}

const GREY = '\u001b[90m';
const BLUE = '\u001b[34m';
const DEFAULT_COLOUR = '\u001b[39m';
/** Black on yellow: LogViewer's yellow text is unreadable on a light theme. */
const HIGHLIGHT = '\u001b[30m\u001b[43m';
const NO_HIGHLIGHT = '\u001b[39m\u001b[49m';

/**
 * `<ISO time> ` at the start of each line, as the engine writes it, and the mark of
 * what the platform did or saw, when there is one.
 */
const linePrefix = /^(\d{4}-\d\d-\d\dT[\d:.]+Z) (?:\[(Normal|Warning)\] )?/gm;

const platformMark = (kind: string) =>
  kind === 'Warning'
    ? `${HIGHLIGHT}[Warning]${NO_HIGHLIGHT} `
    : `${BLUE}[Normal]${DEFAULT_COLOUR} `;

/**
 * Colours what the platform adds to a task's output with ANSI codes, which LogViewer
 * renders: timestamps grey, [Warning] highlighted, [Normal] blue. Search is unaffected:
 * LogViewer matches the text without the codes. One regular expression over the
 * chunk and nothing else, so a line is shown as soon as it arrives.
 */
export function formatLogText(text: string): string {
  return text.replace(
    linePrefix,
    (_, time: string, kind?: string) =>
      `${GREY}${time}${DEFAULT_COLOUR} ${kind ? platformMark(kind) : ''}`,
  );
}

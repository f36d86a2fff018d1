import { parseTaskOutputs } from '@devops-pipelines/plugin-devops-common';
import { TaskLog } from './types';

/** Invalid lines named in the log, one warning each; the rest are counted. */
const MAX_REPORTED_LINES = 10;
const MAX_REPORTED_LINE_LENGTH = 200;

/**
 * Parses what a task wrote to `$DEVOPS_OUTPUT`, warning in its log about the lines that
 * are not `NAME=value`, as every executor does.
 */
export function reportTaskOutputs(content: string, log: TaskLog): Record<string, string> {
  const { values, invalidLines } = parseTaskOutputs(content);
  for (const line of invalidLines.slice(0, MAX_REPORTED_LINES)) {
    const shown =
      line.length > MAX_REPORTED_LINE_LENGTH
        ? `${line.slice(0, MAX_REPORTED_LINE_LENGTH)}...`
        : line;
    log.platform('Warning', `Ignored a line of $DEVOPS_OUTPUT that is not NAME=value: ${shown}`);
  }
  if (invalidLines.length > MAX_REPORTED_LINES) {
    log.platform(
      'Warning',
      `Ignored ${
        invalidLines.length - MAX_REPORTED_LINES
      } more lines of $DEVOPS_OUTPUT that are not NAME=value`,
    );
  }
  return values;
}

import fs from 'fs/promises';
import { parseTaskOutputs } from '@devops-pipelines/plugin-devops-common';
import { TaskLog } from '../types';

/** Outputs are a few variables; a bigger file is a script writing its log there by mistake. */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;
/** Invalid lines named in the log, one warning each; the rest are counted. */
const MAX_REPORTED_LINES = 10;
const MAX_REPORTED_LINE_LENGTH = 200;

export type TaskOutputs =
  | { values: Record<string, string> }
  | { error: string };

/** Reads the `$DEVOPS_OUTPUT` file a script wrote, warning about lines it ignores. */
export async function readTaskOutputs(
  outputFile: string,
  log: TaskLog,
): Promise<TaskOutputs> {
  const content = await fs.readFile(outputFile).catch(
    () => Buffer.alloc(0), // The script removed it: it has nothing to say.
  );
  if (content.length === 0) return { values: {} };
  if (content.length > MAX_OUTPUT_FILE_BYTES) {
    return {
      error: `The script wrote ${content.length} bytes to $DEVOPS_OUTPUT, more than the ${MAX_OUTPUT_FILE_BYTES} bytes allowed; write only NAME=value lines there`,
    };
  }

  const { values, invalidLines } = parseTaskOutputs(content.toString('utf8'));
  for (const line of invalidLines.slice(0, MAX_REPORTED_LINES)) {
    const shown =
      line.length > MAX_REPORTED_LINE_LENGTH
        ? `${line.slice(0, MAX_REPORTED_LINE_LENGTH)}...`
        : line;
    log.platform(
      'Warning',
      `Ignored a line of $DEVOPS_OUTPUT that is not NAME=value: ${shown}`,
    );
  }
  if (invalidLines.length > MAX_REPORTED_LINES) {
    log.platform(
      'Warning',
      `Ignored ${
        invalidLines.length - MAX_REPORTED_LINES
      } more lines of $DEVOPS_OUTPUT that are not NAME=value`,
    );
  }
  return { values };
}

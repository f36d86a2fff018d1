import fs from 'fs/promises';
import { reportTaskOutputs } from '../reportTaskOutputs';
import { TaskLog } from '../types';

/** Outputs are a few variables; a bigger file is a script writing its log there by mistake. */
export const MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

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
  return { values: reportTaskOutputs(content.toString('utf8'), log) };
}

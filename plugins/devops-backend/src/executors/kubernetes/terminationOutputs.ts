import { reportTaskOutputs } from '../reportTaskOutputs';
import type { TaskLog } from '../types';
import { MAX_TERMINATION_MESSAGE_BYTES } from './podSpec';

/**
 * The outputs a task wrote to `$DEVOPS_OUTPUT`, which is its container's termination
 * message file. The kubelet keeps only the first 4 KiB of it: a message that long was
 * cut, so its last line, perhaps cut in the middle, is dropped and the log says so.
 */
export function outputsFromTerminationMessage(
  message: string | undefined,
  log: TaskLog,
): Record<string, string> {
  let text = message ?? '';
  if (Buffer.byteLength(text) >= MAX_TERMINATION_MESSAGE_BYTES) {
    text = text.slice(0, text.lastIndexOf('\n') + 1);
    log.platform(
      'Warning',
      `The task wrote more than ${MAX_TERMINATION_MESSAGE_BYTES} bytes to $DEVOPS_OUTPUT; Kubernetes keeps only the first ${MAX_TERMINATION_MESSAGE_BYTES} bytes of it (the container's termination message), so the rest was cut. Write only short NAME=value lines there`,
    );
  }
  return reportTaskOutputs(text, log);
}

import { posix } from 'node:path';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
import { WORKSPACE_SOURCE_DIR } from './types';

/**
 * The absolute path, in the task container, of a path a task names in the repository
 * (a Dockerfile, a chart directory); a leading `/` means the repository root. A path
 * that climbs out of the repository is refused: it would name the tools' own files,
 * never what the user meant.
 */
export function sourcePath(path: string, field: string): string {
  const resolved = posix.join(WORKSPACE_SOURCE_DIR, path);
  if (
    resolved !== WORKSPACE_SOURCE_DIR &&
    !resolved.startsWith(`${WORKSPACE_SOURCE_DIR}/`)
  ) {
    throw new TaskPlanError(
      `task field "${field}" must be a path inside the repository; "${path}" leaves it`,
    );
  }
  return resolved.replace(/\/$/, '');
}

import type { Task } from '@devops-pipelines/plugin-devops-common';
import {
  WORKSPACE_SOURCE_DIR,
  type DevopsTaskType,
} from '@devops-pipelines/plugin-devops-node';

/**
 * The check both executors run, in the checked-out source. The paths come in an
 * environment variable, never in the script's text, so no path can change what the
 * script does.
 */
const VERIFY_SCRIPT = `missing=0
while IFS= read -r path; do
  [ -z "$path" ] && continue
  if [ -e "./$path" ]; then
    echo "found $path"
  else
    echo "missing $path"
    missing=$((missing + 1))
  fi
done <<PATHS
$VERIFY_PATHS
PATHS
if [ "$missing" -gt 0 ]; then
  echo "$missing of the listed files are missing"
  exit 1
fi
echo "every listed file is there"`;

/** The paths of the task, one per line, trimmed; the backend checked it has them. */
function pathsOf(task: Task): string {
  return String('paths' in task ? task.paths : '')
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * Verify files: fails when a listed file is missing from the checked-out source, e.g. a
 * lock file or a licence a release needs. Runs on both executors: as a script on the
 * local executor, as a busybox pod on Kubernetes.
 */
export const verifyFilesTaskType: DevopsTaskType = {
  type: 'example:verifyFiles',
  title: 'Verify files',
  description:
    'Fails when a listed file is missing from the checked-out source',
  fields: z =>
    z.object({
      paths: z
        .string()
        .trim()
        .min(1, 'list at least one file')
        .meta({
          title: 'Files',
          description: 'One path per line, relative to the repository root',
          examples: ['package-lock.json\nLICENSE'],
          multiline: true,
        }),
    }),
  planners: {
    local: async ({ task }) => ({
      kind: 'script',
      script: VERIFY_SCRIPT,
      env: { VERIFY_PATHS: pathsOf(task) },
    }),
    kubernetes: async ({ task }) => ({
      kind: 'pod',
      container: {
        image: 'busybox:1.37',
        command: ['sh', '-e', '-c', VERIFY_SCRIPT],
        workingDir: WORKSPACE_SOURCE_DIR,
        env: [{ name: 'VERIFY_PATHS', value: pathsOf(task) }],
      },
    }),
  },
};

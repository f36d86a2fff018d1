import { createHash } from 'crypto';

/** Labels on every object the executor creates, so a run's objects are found by selector. */
export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  pipeline: 'devops.backstage.io/pipeline',
  run: 'devops.backstage.io/run',
  taskRun: 'devops.backstage.io/task-run',
} as const;

export const MANAGED_BY = 'backstage-devops';

/** Kubernetes object names are DNS-1123 labels here: at most 63 characters. */
const MAX_NAME = 63;

/**
 * An id as a DNS-1123 fragment: lower-case alphanumerics. Ids are UUIDs in practice
 * (32 hex digits once the dashes go); anything longer, or that loses characters on the
 * way, is replaced by a hash so two ids never share a name.
 */
function idFragment(id: string, length: number): string {
  const cleaned = id.toLowerCase().replace(/-/g, '');
  if (/^[a-z0-9]+$/.test(cleaned) && cleaned.length <= length) return cleaned;
  return createHash('sha256').update(id).digest('hex').slice(0, length);
}

/**
 * The pod of one attempt of one task: `devops-<buildId>-<taskRunId>-<attempt>`. The same
 * inputs always give the same name, so an engine that takes a run over finds the pod the
 * previous one created; the task run id is unique, so no two tasks share one.
 */
export function taskPodName(run: { buildId: number }, taskRunId: string, attempt: number): string {
  const name = `devops-${run.buildId}-${idFragment(taskRunId, 32)}-${attempt}`;
  if (name.length > MAX_NAME) {
    // Only an absurd build id or attempt gets here; keep the unique part whole.
    return `devops-${idFragment(`${run.buildId}/${taskRunId}/${attempt}`, 40)}`;
  }
  return name;
}

/** The Secret holding a task's variables; deleted with the run's other objects. */
export const taskEnvSecretName = (podName: string) => `${podName}-env`;

/** The Secret holding the files a task plan asked for (credentials, kubeconfigs). */
export const taskFilesSecretName = (podName: string) => `${podName}-files`;

/** The Secret the source init containers of a run read the repository and credentials from. */
export const runSourceSecretName = (runId: string) => `devops-source-${idFragment(runId, 40)}`;

/**
 * A label value: at most 63 characters of `[A-Za-z0-9._-]`, alphanumeric at both ends.
 * Ids are UUIDs and pass unchanged; anything else is hashed rather than cut, so values
 * stay distinct.
 */
export function labelValue(value: string): string {
  if (/^[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$/.test(value)) return value;
  return createHash('sha256').update(value).digest('hex').slice(0, 40);
}

export function runSelector(runId: string): string {
  return `${LABELS.managedBy}=${MANAGED_BY},${LABELS.run}=${labelValue(runId)}`;
}

import type { V1EnvVar, V1Pod, V1Secret, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { VARIABLE_NAME_PATTERN, type TaskResources } from '@devops-pipelines/plugin-devops-common';
import type { PodTaskPlan } from '../../tasks/types';
import { WORKSPACE_SOURCE_DIR } from '../../tasks/types';
import type { RunContext } from '../types';
import {
  LABELS,
  MANAGED_BY,
  labelValue,
  runSourceSecretName,
  taskEnvSecretName,
  taskFilesSecretName,
} from './names';
import { TASK_RUNNER_SERVICE_ACCOUNT } from '../../clusters/provisionNamespace';

/** The container names every task pod has; logs and statuses are read by them. */
export const SOURCE_CONTAINER = 'source';
export const TASK_CONTAINER = 'task';

/**
 * `$DEVOPS_OUTPUT` is the container's termination message file: the kubelet hands its
 * content back in the terminated state's `message`, so outputs come back without a
 * volume or a second container. The kubelet keeps at most 4 KiB of it.
 */
export const OUTPUT_PATH = '/dev/termination-log';
export const MAX_TERMINATION_MESSAGE_BYTES = 4096;

const WORKSPACE_VOLUME = 'workspace';
const WORKSPACE_MOUNT = '/workspace';
const FILES_VOLUME = 'task-files';

/**
 * Checks the run's commit out into the workspace, like scm/git.ts does on the backend:
 * fetch only that commit when the server allows it, else all branches. The repository
 * (whose URL may hold a token) and any credentials come from the run's source Secret;
 * the credential helper reads them from the environment, so nothing secret is written
 * into the workspace the task sees (printf, not echo: dash's echo would expand
 * backslashes in a password).
 */
const CLONE_SCRIPT = `set -eu
mkdir -p "${WORKSPACE_SOURCE_DIR}"
cd "${WORKSPACE_SOURCE_DIR}"
git init -q --object-format="$DEVOPS_OBJECT_FORMAT" .
if [ -n "\${GIT_PASSWORD:-}" ]; then
  git config credential.helper '!f() { test "$1" = get || return 0; printf "username=%s\\npassword=%s\\n" "\${GIT_USERNAME:-git}" "\${GIT_PASSWORD}"; }; f'
fi
if ! git fetch -q --no-tags --depth=1 -- "$DEVOPS_REPOSITORY" "$DEVOPS_COMMIT"; then
  echo "The server does not serve single commits; fetching all branches"
  git fetch -q --no-tags -- "$DEVOPS_REPOSITORY" '+refs/heads/*:refs/remotes/origin/*'
fi
git -c advice.detachedHead=false checkout -q --detach "$DEVOPS_COMMIT"
echo "Checked out $DEVOPS_COMMIT"
`;

export type TaskPodInput = {
  name: string;
  namespace: string;
  run: RunContext;
  taskRunId: string;
  plan: PodTaskPlan;
  /** CPU and memory of the task's container (requests and limits), if any. */
  resources?: TaskResources;
  gitImage: string;
  /** Test hook: extra annotations (the kwok test cluster reads outcomes from them). */
  extraAnnotations?: Record<string, string>;
  /** Test hook: a node selector, to make a pod unschedulable on purpose. */
  nodeSelector?: Record<string, string>;
};

/** Labels of every object of a task; the run label is what cleanup selects on. */
export function taskLabels(run: RunContext, taskRunId?: string): Record<string, string> {
  return {
    [LABELS.managedBy]: MANAGED_BY,
    [LABELS.pipeline]: labelValue(run.pipelineId),
    [LABELS.run]: labelValue(run.runId),
    ...(taskRunId ? { [LABELS.taskRun]: labelValue(taskRunId) } : {}),
  };
}

/**
 * The pod of one task attempt: the source init container, then the plan's container with
 * the workspace, the run's variables (from the task's Secret), and `$DEVOPS_OUTPUT`.
 */
export function buildTaskPod(input: TaskPodInput): V1Pod {
  const { name, namespace, run, taskRunId, plan } = input;
  const { container } = plan;
  const workspaceMount: V1VolumeMount = { name: WORKSPACE_VOLUME, mountPath: WORKSPACE_MOUNT };
  const volumes: V1Volume[] = [{ name: WORKSPACE_VOLUME, emptyDir: {} }];
  const mounts: V1VolumeMount[] = [...(container.volumeMounts ?? []), workspaceMount];
  if (plan.secretFiles) {
    volumes.push({
      name: FILES_VOLUME,
      secret: { secretName: taskFilesSecretName(name), defaultMode: 0o400 },
    });
    mounts.push({ name: FILES_VOLUME, mountPath: plan.secretFiles.mountPath, readOnly: true });
  }
  for (const [index, mounted] of (plan.mountedSecrets ?? []).entries()) {
    const volume = `mounted-secret-${index}`;
    volumes.push({
      name: volume,
      secret: { secretName: mounted.secretName, items: mounted.items, defaultMode: 0o400 },
    });
    mounts.push({ name: volume, mountPath: mounted.mountPath, readOnly: true });
  }
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace,
      labels: taskLabels(run, taskRunId),
      annotations: {
        'devops.backstage.io/pipeline-name': run.pipelineName,
        'devops.backstage.io/build-id': String(run.buildId),
        ...input.extraAnnotations,
      },
    },
    spec: {
      restartPolicy: 'Never',
      // The binding's account is the pods' identity (an admin attaches image pull
      // Secrets and policies to it), but its token is not mounted: tasks run users' code,
      // and read access to a shared namespace would show other pipelines' unmasked pod
      // logs. Tasks act with the credentials a pipeline gives them.
      serviceAccountName: TASK_RUNNER_SERVICE_ACCOUNT,
      automountServiceAccountToken: false,
      enableServiceLinks: false,
      nodeSelector: input.nodeSelector,
      volumes,
      initContainers: [sourceContainer(run, input.gitImage, workspaceMount)],
      containers: [
        {
          ...container,
          name: TASK_CONTAINER,
          workingDir: container.workingDir ?? WORKSPACE_SOURCE_DIR,
          // Literal values moved to the Secret (taskEnvSecret); the last envFrom wins.
          envFrom: [...(container.envFrom ?? []), { secretRef: { name: taskEnvSecretName(name) } }],
          env: [
            ...(container.env ?? []).filter(e => e.valueFrom),
            // `env` beats `envFrom`: no variable can move the output file.
            { name: 'DEVOPS_OUTPUT', value: OUTPUT_PATH },
          ],
          volumeMounts: mounts,
          ...(input.resources && Object.keys(input.resources).length ? { resources: input.resources } : {}),
          terminationMessagePath: OUTPUT_PATH,
          terminationMessagePolicy: 'File',
        },
      ],
    },
  };
}

function sourceContainer(run: RunContext, gitImage: string, mount: V1VolumeMount) {
  const base = { name: SOURCE_CONTAINER, image: gitImage, volumeMounts: [mount] };
  if (!run.source) {
    return { ...base, command: ['sh', '-c', `mkdir -p "${WORKSPACE_SOURCE_DIR}"`] };
  }
  const env: V1EnvVar[] = [
    { name: 'DEVOPS_COMMIT', value: run.source.commit },
    { name: 'DEVOPS_OBJECT_FORMAT', value: run.source.commit.length === 64 ? 'sha256' : 'sha1' },
    { name: 'GIT_TERMINAL_PROMPT', value: '0' },
  ];
  return {
    ...base,
    command: ['sh', '-c', CLONE_SCRIPT],
    env,
    envFrom: [{ secretRef: { name: runSourceSecretName(run.runId) } }],
  };
}

/**
 * The Secret the task container reads its variables from: `CI=true` (a default the
 * pipeline may override), the run's variables, then the plan's literal `env` values on
 * top (a task's own env may hold expanded secrets, so none stays in the pod spec).
 */
export function buildTaskEnvSecret(input: {
  podName: string;
  namespace: string;
  run: RunContext;
  taskRunId: string;
  variables: Record<string, string>;
  plan: PodTaskPlan;
}): V1Secret {
  const data: Record<string, string> = { CI: 'true', ...input.variables };
  for (const entry of input.plan.container.env ?? []) {
    if (!entry.valueFrom) data[entry.name] = entry.value ?? '';
  }
  for (const name of Object.keys(data)) {
    // envFrom skips keys that are not variable names anyway, and Secret keys refuse some.
    if (!VARIABLE_NAME_PATTERN.test(name)) delete data[name];
  }
  return secret(taskEnvSecretName(input.podName), input.namespace, taskLabels(input.run, input.taskRunId), data);
}

export function buildTaskFilesSecret(input: {
  podName: string;
  namespace: string;
  run: RunContext;
  taskRunId: string;
  files: Record<string, string>;
}): V1Secret {
  return secret(
    taskFilesSecretName(input.podName),
    input.namespace,
    taskLabels(input.run, input.taskRunId),
    input.files,
  );
}

/** The repository URL and credentials the run's source init containers read. */
export function buildRunSourceSecret(input: {
  namespace: string;
  run: RunContext;
  repository: string;
  credentials?: { username?: string; password: string };
}): V1Secret {
  const data: Record<string, string> = { DEVOPS_REPOSITORY: input.repository };
  if (input.credentials) {
    data.GIT_PASSWORD = input.credentials.password;
    if (input.credentials.username) data.GIT_USERNAME = input.credentials.username;
  }
  return secret(runSourceSecretName(input.run.runId), input.namespace, taskLabels(input.run), data);
}

function secret(
  name: string,
  namespace: string,
  labels: Record<string, string>,
  data: Record<string, string>,
): V1Secret {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, namespace, labels },
    type: 'Opaque',
    stringData: data,
  };
}

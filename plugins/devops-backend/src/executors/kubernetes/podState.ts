import type {
  CoreV1Api,
  V1ContainerStatus,
  V1Pod,
} from '@kubernetes/client-node';
import {
  NodePressure,
  describePressures,
  evictionPressures,
  pressureAdvice,
  readNodePressures,
} from './nodePressure';
import { SOURCE_CONTAINER, TASK_CONTAINER } from './podSpec';

/** What a task pod's status means for the task, read from one snapshot of the pod. */
export type PodState =
  /** Being scheduled, pulling images or checking the source out. */
  | { kind: 'pending'; sourceStarted: boolean }
  /** The scheduler found no node for it: the task waits for cluster resources. */
  | { kind: 'unschedulable'; reason: string }
  /** An image cannot be pulled; it may still work (a registry hiccup) until the deadline. */
  | { kind: 'pullFailing'; image: string; reason: string; detail?: string }
  /** A container cannot start and never will (bad image name, broken config). */
  | { kind: 'cannotStart'; message: string }
  | { kind: 'running' }
  | {
      kind: 'finished';
      succeeded: boolean;
      exitCode?: number;
      /** Why it failed, in words a user can act on. */
      failure?: string;
      /** The termination message: what the task wrote to `$DEVOPS_OUTPUT`. */
      outputs?: string;
    };

const PULL_FAILURES = ['ErrImagePull', 'ImagePullBackOff'];
const START_FAILURES = [
  'InvalidImageName',
  'ErrImageNeverPull',
  'CreateContainerConfigError',
  'CreateContainerError',
  'RunContainerError',
];

export const OOM_MESSAGE = 'OOMKilled: give the task or the nodes more memory';

/** Names the setting to raise: the task's memory limit, which the container went over. */
export const oomOverLimit = (limit: string) =>
  `OOMKilled: the task used more than its memory limit of ${limit}; raise the memory limit in the task's resources (up to the portal's devops.kubernetes.taskResources.maximums.memory), and re-run`;

/**
 * What a task pod's status means for the task. `nodePressures`, those of the node it ran
 * on, are named in the failure of a pod that failed (the pod's status does not show them).
 */
export function readPodState(
  pod: V1Pod,
  nodePressures: NodePressure[] = [],
): PodState {
  if (pod.status?.phase === 'Failed' && pod.status.reason === 'Evicted') {
    return {
      kind: 'finished',
      succeeded: false,
      failure: evictionFailure(pod, nodePressures),
    };
  }
  const state = readContainersState(pod);
  if (state.kind !== 'finished' || !state.failure || !nodePressures.length) {
    return state;
  }
  const node = nodeOf(pod);
  const pressures = describePressures(nodePressures);
  const advice = pressureAdvice(nodePressures);
  return {
    ...state,
    failure: `${state.failure}; ${node} is also under ${pressures}: ${advice}`,
  };
}

/**
 * Why a pod that failed failed, naming the pressures its node is under now. Without them
 * when the node cannot be read: the failure is the one its status alone gives.
 */
export async function readPodFailure(
  pod: V1Pod,
  core: Pick<CoreV1Api, 'readNode'>,
): Promise<string | undefined> {
  const node = pod.spec?.nodeName;
  const state = readPodState(
    pod,
    node ? await readNodePressures(core, node) : [],
  );
  return state.kind === 'finished' ? state.failure : undefined;
}

/**
 * The kubelet evicts a pod when its node runs short of a resource, and kills its
 * containers: whatever they then show (any exit code, even 0) is not why the task failed.
 */
function evictionFailure(pod: V1Pod, nodePressures: NodePressure[]): string {
  const message = pod.status?.message?.trim();
  const kubeletSaid = message ? `; the kubelet said "${message}"` : '';
  // The node's conditions have their own message; the kubelet's names what it was short of.
  const pressures = [
    ...nodePressures,
    ...evictionPressures(message).filter(
      named => !nodePressures.some(p => p.type === named.type),
    ),
  ];
  const evictedBy = `The task's pod was evicted by ${nodeOf(pod)}`;
  if (!pressures.length) {
    return `${evictedBy}${kubeletSaid}; the node ran short of resources: have it freed or the nodes given more resources, and re-run`;
  }
  const under = describePressures(pressures);
  const advice = pressureAdvice(pressures);
  return `${evictedBy}, which was under ${under}${kubeletSaid}; ${advice}, and re-run`;
}

function nodeOf(pod: V1Pod) {
  return pod.spec?.nodeName ? `node ${pod.spec.nodeName}` : 'its node';
}

function readContainersState(pod: V1Pod): PodState {
  const status = pod.status ?? {};
  const source = status.initContainerStatuses?.find(
    c => c.name === SOURCE_CONTAINER,
  );
  const task = status.containerStatuses?.find(c => c.name === TASK_CONTAINER);

  const sourceEnd = source?.state?.terminated;
  if (sourceEnd && sourceEnd.exitCode !== 0) {
    return {
      kind: 'finished',
      succeeded: false,
      exitCode: sourceEnd.exitCode,
      failure:
        sourceEnd.reason === 'OOMKilled'
          ? `Checking out the source was ${OOM_MESSAGE}`
          : `Checking out the source failed (exit code ${sourceEnd.exitCode}); see the lines above, and check the repository URL and that the cluster can reach the git server`,
    };
  }

  const taskEnd = task?.state?.terminated;
  if (taskEnd) {
    if (taskEnd.reason === 'OOMKilled') {
      const limit = pod.spec?.containers.find(c => c.name === TASK_CONTAINER)
        ?.resources?.limits?.memory;
      return {
        kind: 'finished',
        succeeded: false,
        exitCode: taskEnd.exitCode,
        failure: limit ? oomOverLimit(String(limit)) : OOM_MESSAGE,
        outputs: taskEnd.message,
      };
    }
    if (taskEnd.exitCode === 0) {
      return {
        kind: 'finished',
        succeeded: true,
        exitCode: 0,
        outputs: taskEnd.message,
      };
    }
    const details = [
      taskEnd.reason && taskEnd.reason !== 'Error' ? taskEnd.reason : undefined,
      taskEnd.signal ? `signal ${taskEnd.signal}` : undefined,
    ].filter(Boolean);
    const reason = details.length ? ` (${details.join(', ')})` : '';
    return {
      kind: 'finished',
      succeeded: false,
      exitCode: taskEnd.exitCode,
      failure: `The task's container exited with code ${taskEnd.exitCode}${reason}`,
      outputs: taskEnd.message,
    };
  }

  if (status.phase === 'Failed' || status.phase === 'Succeeded') {
    // Ended without its container ending: its node was lost, or refused it.
    if (status.phase === 'Succeeded')
      return { kind: 'finished', succeeded: true };
    const what =
      [status.reason, status.message].filter(Boolean).join(': ') ||
      'no reason given';
    return {
      kind: 'finished',
      succeeded: false,
      failure: `The pod failed before its task ended (${what})`,
    };
  }

  for (const container of [source, task]) {
    const waiting = container?.state?.waiting;
    if (!container || !waiting?.reason) continue;
    if (PULL_FAILURES.includes(waiting.reason)) {
      return {
        kind: 'pullFailing',
        image: container.image,
        reason: waiting.reason,
        detail: waiting.message,
      };
    }
    if (START_FAILURES.includes(waiting.reason)) {
      return {
        kind: 'cannotStart',
        message: `The ${describeContainer(container)} cannot start: ${
          waiting.reason
        }${waiting.message ? `: ${waiting.message}` : ''}`,
      };
    }
  }

  const scheduled = status.conditions?.find(c => c.type === 'PodScheduled');
  if (scheduled?.status === 'False' && scheduled.reason === 'Unschedulable') {
    return {
      kind: 'unschedulable',
      reason: scheduled.message ?? 'no node can take the pod',
    };
  }
  if (task?.state?.running) return { kind: 'running' };
  return {
    kind: 'pending',
    sourceStarted: Boolean(source?.state?.running || sourceEnd),
  };
}

function describeContainer(container: V1ContainerStatus): string {
  return container.name === SOURCE_CONTAINER
    ? `source checkout container (image ${container.image})`
    : `task's container (image ${container.image})`;
}

import type { CoreV1Api, V1Node } from '@kubernetes/client-node';
import { withTimeout } from '../../clusters/kubernetesErrors';

/** The node conditions the kubelet sets True when it runs low, and then evicts pods. */
const PRESSURE_TYPES = [
  'MemoryPressure',
  'DiskPressure',
  'PIDPressure',
] as const;

export type NodePressureType = (typeof PRESSURE_TYPES)[number];

/** A pressure a node is under, with its condition's message when read from the node. */
export type NodePressure = { type: NodePressureType; message?: string };

/** What each pressure is in user words, and what a pipeline's author can do about it. */
const PRESSURES: Record<NodePressureType, { words: string; advice: string }> = {
  MemoryPressure: {
    words: 'memory pressure',
    advice:
      "ask for as much memory as the task uses (the memory request in the task's resources, up to the portal's devops.kubernetes.taskResources.maximums.memory): the kubelet evicts first the pods using more than they asked for; or have the node freed or given more memory",
  },
  DiskPressure: {
    words: 'disk pressure',
    advice:
      "have the task write less to its disk (delete what it no longer needs), or have the node's disk freed (unused images, ended pods) or enlarged",
  },
  PIDPressure: {
    words: 'process ID pressure',
    advice:
      'have the task start fewer processes at once, or have the node freed',
  },
};

/** The kubelet's names of what it ran short of, in its eviction messages. */
const STARVED_RESOURCES: Record<string, NodePressureType> = {
  memory: 'MemoryPressure',
  'ephemeral-storage': 'DiskPressure',
  inodes: 'DiskPressure',
  pids: 'PIDPressure',
};

const LOW_ON_RESOURCE = /The node was low on resource: ([\w-]+)\./;
/** Go's format of a list: `[MemoryPressure DiskPressure]`. */
const HAD_CONDITIONS = /The node had condition: \[([^\]]*)\]/;

/** A node that cannot be read in this time is done without: the failure is not held up. */
const NODE_READ_TIMEOUT_MS = 10_000;

const isPressureType = (type: string): type is NodePressureType =>
  (PRESSURE_TYPES as readonly string[]).includes(type);

/** The pressures whose condition is True on the node. */
export function nodePressures(node: V1Node): NodePressure[] {
  return (node.status?.conditions ?? []).flatMap(condition =>
    isPressureType(condition.type) && condition.status === 'True'
      ? [{ type: condition.type, message: condition.message }]
      : [],
  );
}

/**
 * The pressures a kubelet's eviction message names: "The node was low on resource: memory.
 * ..." when it evicts a running pod, "The node had condition: [DiskPressure]. " when it
 * refuses to start one.
 */
export function evictionPressures(message = ''): NodePressure[] {
  const starved = LOW_ON_RESOURCE.exec(message)?.[1];
  if (starved) {
    const type = STARVED_RESOURCES[starved];
    return type ? [{ type }] : [];
  }
  const conditions = HAD_CONDITIONS.exec(message)?.[1] ?? '';
  return conditions
    .split(' ')
    .filter(isPressureType)
    .map(type => ({ type }));
}

/**
 * The pressures of the node a pod ran on, or none when it cannot be read: the backend's
 * account may not read nodes (they are cluster-wide, its rights are its namespace's),
 * and a failure is then told without them rather than differently.
 */
export async function readNodePressures(
  core: Pick<CoreV1Api, 'readNode'>,
  name: string,
): Promise<NodePressure[]> {
  try {
    return nodePressures(
      await withTimeout(core.readNode({ name }), NODE_READ_TIMEOUT_MS),
    );
  } catch {
    return [];
  }
}

/** `memory pressure (MemoryPressure: "kubelet has insufficient memory available") and disk pressure` */
export function describePressures(pressures: NodePressure[]): string {
  return pressures
    .map(
      ({ type, message }) =>
        `${PRESSURES[type].words}${message ? ` (${type}: "${message}")` : ''}`,
    )
    .join(' and ');
}

/** What to do about each pressure, in one clause. */
export function pressureAdvice(pressures: NodePressure[]): string {
  return pressures.map(({ type }) => PRESSURES[type].advice).join('; ');
}

import type { V1Node, V1NodeCondition } from '@kubernetes/client-node';

const condition = (
  type: string,
  status: 'True' | 'False',
  reason: string,
  message: string,
): V1NodeCondition => ({
  type,
  status,
  reason,
  message,
  lastHeartbeatTime: new Date('2026-12-06T12:00:00Z'),
  lastTransitionTime: new Date('2026-12-06T11:58:00Z'),
});

/** A node as its kubelet reports it: Ready, under memory pressure only. */
export const nodeUnderMemoryPressure: V1Node = {
  apiVersion: 'v1',
  kind: 'Node',
  metadata: { name: 'kind-worker' },
  status: {
    conditions: [
      condition(
        'MemoryPressure',
        'True',
        'KubeletHasInsufficientMemory',
        'kubelet has insufficient memory available',
      ),
      condition(
        'DiskPressure',
        'False',
        'KubeletHasNoDiskPressure',
        'kubelet has no disk pressure',
      ),
      condition(
        'PIDPressure',
        'False',
        'KubeletHasSufficientPID',
        'kubelet has sufficient PID available',
      ),
      condition(
        'Ready',
        'True',
        'KubeletReady',
        'kubelet is posting ready status',
      ),
    ],
  },
};

/** What @kubernetes/client-node throws (an ApiException: status code and Status body text) when the account may not read nodes. */
export const forbiddenToReadNodes = () =>
  Object.assign(new Error('HTTP-Code: 403'), {
    code: 403,
    body: JSON.stringify({
      kind: 'Status',
      apiVersion: 'v1',
      status: 'Failure',
      message:
        'nodes "kind-worker" is forbidden: User "system:serviceaccount:devops:portal" cannot get resource "nodes" in API group "" at the cluster scope',
      reason: 'Forbidden',
      code: 403,
    }),
  });

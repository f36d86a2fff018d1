import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { RecordingLog } from '../../tasks/__testUtils__/recordingLog';
import {
  forbiddenToReadNodes,
  nodeUnderMemoryPressure,
} from './__testUtils__/nodes';
import { nodePressures } from './nodePressure';
import {
  OOM_MESSAGE,
  oomOverLimit,
  readPodFailure,
  readPodState,
} from './podState';
import { outputsFromTerminationMessage } from './terminationOutputs';

const status = (
  name: string,
  state: V1ContainerStatus['state'],
  image = 'alpine:3',
): V1ContainerStatus => ({
  name,
  image,
  imageID: '',
  ready: false,
  restartCount: 0,
  state,
});

const pod = (podStatus: V1Pod['status']): V1Pod => ({ status: podStatus });

describe('readPodState', () => {
  it('reads an unschedulable pod as waiting for resources, with the scheduler reason', () => {
    expect(
      readPodState(
        pod({
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/3 nodes are available: 3 Insufficient memory.',
            },
          ],
        }),
      ),
    ).toEqual({
      kind: 'unschedulable',
      reason: '0/3 nodes are available: 3 Insufficient memory.',
    });
  });

  it('gives the outputs and exit code of a finished task container', () => {
    expect(
      readPodState(
        pod({
          phase: 'Succeeded',
          initContainerStatuses: [
            status('source', {
              terminated: { exitCode: 0, reason: 'Completed' },
            }),
          ],
          containerStatuses: [
            status('task', {
              terminated: {
                exitCode: 0,
                reason: 'Completed',
                message: 'VERSION=1.2\n',
              },
            }),
          ],
        }),
      ),
    ).toEqual({
      kind: 'finished',
      succeeded: true,
      exitCode: 0,
      outputs: 'VERSION=1.2\n',
    });
  });

  it('says what to do about OOMKilled', () => {
    expect(
      readPodState(
        pod({
          phase: 'Failed',
          containerStatuses: [
            status('task', {
              terminated: { exitCode: 137, reason: 'OOMKilled' },
            }),
          ],
        }),
      ),
    ).toMatchObject({
      kind: 'finished',
      succeeded: false,
      exitCode: 137,
      failure: OOM_MESSAGE,
    });
    // With a limit, the message names it and the setting to raise.
    expect(
      readPodState({
        spec: {
          containers: [
            { name: 'task', resources: { limits: { memory: '256Mi' } } },
          ],
        },
        status: {
          phase: 'Failed',
          containerStatuses: [
            status('task', {
              terminated: { exitCode: 137, reason: 'OOMKilled' },
            }),
          ],
        },
      }),
    ).toMatchObject({
      kind: 'finished',
      succeeded: false,
      exitCode: 137,
      failure: oomOverLimit('256Mi'),
    });
  });

  it('fails the task when the source checkout fails', () => {
    expect(
      readPodState(
        pod({
          phase: 'Failed',
          initContainerStatuses: [
            status('source', {
              terminated: { exitCode: 128, reason: 'Error' },
            }),
          ],
          containerStatuses: [
            status('task', { waiting: { reason: 'PodInitializing' } }),
          ],
        }),
      ),
    ).toMatchObject({
      kind: 'finished',
      succeeded: false,
      failure: expect.stringMatching(
        /^Checking out the source failed \(exit code 128\)/,
      ),
    });
  });

  it('tells pull failures, which may pass, from start failures, which do not', () => {
    expect(
      readPodState(
        pod({
          phase: 'Pending',
          containerStatuses: [
            status(
              'task',
              { waiting: { reason: 'ImagePullBackOff', message: 'Back-off' } },
              'nope:1',
            ),
          ],
        }),
      ),
    ).toEqual({
      kind: 'pullFailing',
      image: 'nope:1',
      reason: 'ImagePullBackOff',
      detail: 'Back-off',
    });
    expect(
      readPodState(
        pod({
          phase: 'Pending',
          containerStatuses: [
            status(
              'task',
              { waiting: { reason: 'InvalidImageName', message: 'bad' } },
              'Bad:Name',
            ),
          ],
        }),
      ),
    ).toEqual({
      kind: 'cannotStart',
      message:
        "The task's container (image Bad:Name) cannot start: InvalidImageName: bad",
    });
  });
});

const KUBELET_LOW_ON_MEMORY =
  'The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. Container task was using 1Gi, request is 0, has larger consumption of memory. ';

/** A pod the kubelet evicted: it marks the pod Failed, then kills its containers. */
const evicted = (
  message: string,
  containerStatuses: V1ContainerStatus[] = [],
): V1Pod => ({
  metadata: { name: 'devops-12-3f2a-1', namespace: 'devops-kind' },
  spec: {
    nodeName: 'kind-worker',
    containers: [{ name: 'task', image: 'node:22' }],
  },
  status: {
    phase: 'Failed',
    reason: 'Evicted',
    message,
    conditions: [
      {
        type: 'DisruptionTarget',
        status: 'True',
        reason: 'TerminationByKubelet',
        message,
      },
    ],
    initContainerStatuses: [
      status('source', { terminated: { exitCode: 0, reason: 'Completed' } }),
    ],
    containerStatuses,
  },
});

const evictedForMemory = evicted(KUBELET_LOW_ON_MEMORY, [
  status('task', { terminated: { exitCode: 137, reason: 'Error' } }, 'node:22'),
]);

const MEMORY_ADVICE =
  "ask for as much memory as the task uses (the memory request in the task's resources, up to the portal's devops.kubernetes.taskResources.maximums.memory): the kubelet evicts first the pods using more than they asked for; or have the node freed or given more memory";

const EVICTED_FOR_MEMORY = `The task's pod was evicted by node kind-worker, which was under memory pressure; the kubelet said "${KUBELET_LOW_ON_MEMORY.trim()}"; ${MEMORY_ADVICE}, and re-run`;

const EVICTED_UNDER_MEMORY_PRESSURE = `The task's pod was evicted by node kind-worker, which was under memory pressure (MemoryPressure: "kubelet has insufficient memory available"); the kubelet said "${KUBELET_LOW_ON_MEMORY.trim()}"; ${MEMORY_ADVICE}, and re-run`;

describe('readPodState of a pod evicted or on a node under pressure', () => {
  it('tells an eviction by what the kubelet ran short of, not by the exit code of the killed container', () => {
    expect(readPodState(evictedForMemory)).toEqual({
      kind: 'finished',
      succeeded: false,
      failure: EVICTED_FOR_MEMORY,
    });
  });

  it("names the node's pressure condition and its message", () => {
    expect(
      readPodState(evictedForMemory, nodePressures(nodeUnderMemoryPressure)),
    ).toEqual({
      kind: 'finished',
      succeeded: false,
      failure: EVICTED_UNDER_MEMORY_PRESSURE,
    });
  });

  it('tells a pod the kubelet refused to start for a pressure', () => {
    expect(
      readPodState(evicted('The node had condition: [DiskPressure]. ')),
    ).toMatchObject({
      failure:
        'The task\'s pod was evicted by node kind-worker, which was under disk pressure; the kubelet said "The node had condition: [DiskPressure]."; have the task write less to its disk (delete what it no longer needs), or have the node\'s disk freed (unused images, ended pods) or enlarged, and re-run',
    });
  });

  it('quotes an eviction message that names no pressure', () => {
    expect(
      readPodState(
        evicted(
          'Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. ',
        ),
      ),
    ).toMatchObject({
      failure:
        'The task\'s pod was evicted by node kind-worker; the kubelet said "Pod ephemeral local storage usage exceeds the total limit of containers 1Gi."; the node ran short of resources: have it freed or the nodes given more resources, and re-run',
    });
  });

  it("adds the node's pressure to another failure", () => {
    const failed: V1Pod = {
      spec: { nodeName: 'kind-worker', containers: [{ name: 'task' }] },
      status: {
        phase: 'Failed',
        containerStatuses: [
          status('task', { terminated: { exitCode: 1, reason: 'Error' } }),
        ],
      },
    };
    expect(
      readPodState(failed, nodePressures(nodeUnderMemoryPressure)),
    ).toMatchObject({
      failure: `The task's container exited with code 1; node kind-worker is also under memory pressure (MemoryPressure: "kubelet has insufficient memory available"): ${MEMORY_ADVICE}`,
    });
  });

  it('leaves a success alone', () => {
    const succeeded = pod({
      phase: 'Succeeded',
      containerStatuses: [status('task', { terminated: { exitCode: 0 } })],
    });
    expect(
      readPodState(succeeded, nodePressures(nodeUnderMemoryPressure)),
    ).toEqual(readPodState(succeeded));
  });
});

describe('readPodFailure', () => {
  it('reads the node the pod ran on', async () => {
    const readNode = jest.fn().mockResolvedValue(nodeUnderMemoryPressure);
    await expect(readPodFailure(evictedForMemory, { readNode })).resolves.toBe(
      EVICTED_UNDER_MEMORY_PRESSURE,
    );
    expect(readNode).toHaveBeenCalledWith({ name: 'kind-worker' });
  });

  it('gives the failure without the node when the backend may not read nodes', async () => {
    const readNode = jest.fn().mockRejectedValue(forbiddenToReadNodes());
    await expect(readPodFailure(evictedForMemory, { readNode })).resolves.toBe(
      EVICTED_FOR_MEMORY,
    );
  });
});

describe('outputsFromTerminationMessage', () => {
  it('parses NAME=value lines and warns about the others', () => {
    const log = new RecordingLog();
    expect(
      outputsFromTerminationMessage(
        'VERSION=1.2.3\nnot an output\nTAG=a=b\n',
        log,
      ),
    ).toEqual({
      VERSION: '1.2.3',
      TAG: 'a=b',
    });
    expect(log.platformLines).toEqual([
      '[Warning] Ignored a line of $DEVOPS_OUTPUT that is not NAME=value: not an output',
    ]);
  });

  it('drops the cut last line of a message the kubelet cut at 4 KiB, and says so', () => {
    const log = new RecordingLog();
    const message = `A=1\nB=${'x'.repeat(5000)}`.slice(0, 4096);
    expect(outputsFromTerminationMessage(message, log)).toEqual({ A: '1' });
    expect(log.platformLines[0]).toMatch(
      /^\[Warning\] The task wrote more than 4096 bytes to \$DEVOPS_OUTPUT; Kubernetes keeps only the first 4096 bytes/,
    );
  });

  it('has no outputs without a message', () => {
    expect(
      outputsFromTerminationMessage(undefined, new RecordingLog()),
    ).toEqual({});
  });
});

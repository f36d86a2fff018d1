import type { V1ContainerStatus, V1Pod } from '@kubernetes/client-node';
import { RecordingLog } from '../../tasks/__testUtils__/recordingLog';
import { OOM_MESSAGE, oomOverLimit, readPodState } from './podState';
import { outputsFromTerminationMessage } from './terminationOutputs';

const status = (name: string, state: V1ContainerStatus['state'], image = 'alpine:3'): V1ContainerStatus => ({
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
    ).toEqual({ kind: 'unschedulable', reason: '0/3 nodes are available: 3 Insufficient memory.' });
  });

  it('gives the outputs and exit code of a finished task container', () => {
    expect(
      readPodState(
        pod({
          phase: 'Succeeded',
          initContainerStatuses: [status('source', { terminated: { exitCode: 0, reason: 'Completed' } })],
          containerStatuses: [
            status('task', { terminated: { exitCode: 0, reason: 'Completed', message: 'VERSION=1.2\n' } }),
          ],
        }),
      ),
    ).toEqual({ kind: 'finished', succeeded: true, exitCode: 0, outputs: 'VERSION=1.2\n' });
  });

  it('says what to do about OOMKilled', () => {
    expect(
      readPodState(
        pod({ phase: 'Failed', containerStatuses: [status('task', { terminated: { exitCode: 137, reason: 'OOMKilled' } })] }),
      ),
    ).toMatchObject({ kind: 'finished', succeeded: false, exitCode: 137, failure: OOM_MESSAGE });
    // With a limit, the message names it and the setting to raise.
    expect(
      readPodState({
        spec: { containers: [{ name: 'task', resources: { limits: { memory: '256Mi' } } }] },
        status: {
          phase: 'Failed',
          containerStatuses: [status('task', { terminated: { exitCode: 137, reason: 'OOMKilled' } })],
        },
      }),
    ).toMatchObject({ kind: 'finished', succeeded: false, exitCode: 137, failure: oomOverLimit('256Mi') });
  });

  it('fails the task when the source checkout fails', () => {
    expect(
      readPodState(
        pod({
          phase: 'Failed',
          initContainerStatuses: [status('source', { terminated: { exitCode: 128, reason: 'Error' } })],
          containerStatuses: [status('task', { waiting: { reason: 'PodInitializing' } })],
        }),
      ),
    ).toMatchObject({ kind: 'finished', succeeded: false, failure: expect.stringMatching(/^Checking out the source failed \(exit code 128\)/) });
  });

  it('tells pull failures, which may pass, from start failures, which do not', () => {
    expect(
      readPodState(
        pod({ phase: 'Pending', containerStatuses: [status('task', { waiting: { reason: 'ImagePullBackOff', message: 'Back-off' } }, 'nope:1')] }),
      ),
    ).toEqual({ kind: 'pullFailing', image: 'nope:1', reason: 'ImagePullBackOff', detail: 'Back-off' });
    expect(
      readPodState(
        pod({ phase: 'Pending', containerStatuses: [status('task', { waiting: { reason: 'InvalidImageName', message: 'bad' } }, 'Bad:Name')] }),
      ),
    ).toEqual({ kind: 'cannotStart', message: "The task's container (image Bad:Name) cannot start: InvalidImageName: bad" });
  });

  it('explains an evicted pod', () => {
    expect(
      readPodState(pod({ phase: 'Failed', reason: 'Evicted', message: 'The node was low on resource: memory.' })),
    ).toMatchObject({
      kind: 'finished',
      succeeded: false,
      failure: expect.stringMatching(/Evicted: The node was low on resource: memory\.\); the node ran short of resources/),
    });
  });
});

describe('outputsFromTerminationMessage', () => {
  it('parses NAME=value lines and warns about the others', () => {
    const log = new RecordingLog();
    expect(outputsFromTerminationMessage('VERSION=1.2.3\nnot an output\nTAG=a=b\n', log)).toEqual({
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
    expect(log.platformLines[0]).toMatch(/^\[Warning\] The task wrote more than 4096 bytes to \$DEVOPS_OUTPUT; Kubernetes keeps only the first 4096 bytes/);
  });

  it('has no outputs without a message', () => {
    expect(outputsFromTerminationMessage(undefined, new RecordingLog())).toEqual({});
  });
});

import {
  forbiddenToReadNodes,
  nodeUnderMemoryPressure,
} from './__testUtils__/nodes';
import {
  evictionPressures,
  nodePressures,
  readNodePressures,
} from './nodePressure';

describe('nodePressures', () => {
  it('gives the pressure conditions that are True, with their message', () => {
    expect(nodePressures(nodeUnderMemoryPressure)).toEqual([
      {
        type: 'MemoryPressure',
        message: 'kubelet has insufficient memory available',
      },
    ]);
  });

  it('gives none for a node without conditions', () => {
    expect(nodePressures({ metadata: { name: 'new' } })).toEqual([]);
  });
});

describe('evictionPressures', () => {
  it.each([
    ['memory', 'MemoryPressure'],
    ['ephemeral-storage', 'DiskPressure'],
    ['inodes', 'DiskPressure'],
    ['pids', 'PIDPressure'],
  ])(
    'reads the resource a running pod was evicted for: %s',
    (resource, type) => {
      expect(
        evictionPressures(
          `The node was low on resource: ${resource}. Threshold quantity: 10, available: 5. `,
        ),
      ).toEqual([{ type }]);
    },
  );

  it('reads the conditions a pod was refused for', () => {
    expect(
      evictionPressures(
        'The node had condition: [MemoryPressure DiskPressure]. ',
      ),
    ).toEqual([{ type: 'MemoryPressure' }, { type: 'DiskPressure' }]);
  });

  it('names nothing for other messages', () => {
    expect(
      evictionPressures(
        'Pod ephemeral local storage usage exceeds the total limit of containers 1Gi. ',
      ),
    ).toEqual([]);
    expect(evictionPressures(undefined)).toEqual([]);
  });
});

describe('readNodePressures', () => {
  it('reads the node', async () => {
    const readNode = jest.fn().mockResolvedValue(nodeUnderMemoryPressure);
    await expect(
      readNodePressures({ readNode }, 'kind-worker'),
    ).resolves.toEqual([
      {
        type: 'MemoryPressure',
        message: 'kubelet has insufficient memory available',
      },
    ]);
    expect(readNode).toHaveBeenCalledWith({ name: 'kind-worker' });
  });

  it('gives none when the backend may not read nodes', async () => {
    const readNode = jest.fn().mockRejectedValue(forbiddenToReadNodes());
    await expect(
      readNodePressures({ readNode }, 'kind-worker'),
    ).resolves.toEqual([]);
  });
});

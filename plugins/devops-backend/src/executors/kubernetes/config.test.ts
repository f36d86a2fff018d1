import { ConfigReader } from '@backstage/config';
import { readKubernetesExecutorSettings } from './config';

describe('readKubernetesExecutorSettings', () => {
  it('has defaults', () => {
    expect(readKubernetesExecutorSettings(new ConfigReader({}))).toEqual({
      executorType: 'auto',
      podRetention: 'none',
      imagePullTimeoutMs: 120_000,
      taskResources: { defaults: {}, maximums: {} },
    });
  });

  it('reads the keys', () => {
    const config = new ConfigReader({
      devops: {
        executor: { type: 'kubernetes' },
        kubernetes: {
          podRetention: 'failed',
          imagePullTimeout: { minutes: 5, seconds: 30 },
          taskResources: { maximums: { memory: '4Gi' } },
        },
      },
    });
    expect(readKubernetesExecutorSettings(config)).toEqual({
      executorType: 'kubernetes',
      podRetention: 'failed',
      imagePullTimeoutMs: 330_000,
      taskResources: { defaults: {}, maximums: { memory: '4Gi' } },
    });
    expect(
      readKubernetesExecutorSettings(
        new ConfigReader({ devops: { kubernetes: { imagePullTimeout: 'PT45S' } } }),
      ).imagePullTimeoutMs,
    ).toBe(45_000);
  });

  it('refuses values it does not know, naming the key', () => {
    expect(() =>
      readKubernetesExecutorSettings(new ConfigReader({ devops: { executor: { type: 'docker' } } })),
    ).toThrow('devops.executor.type must be one of auto, local, kubernetes; got "docker"');
    expect(() =>
      readKubernetesExecutorSettings(
        new ConfigReader({ devops: { kubernetes: { podRetention: 'some' } } }),
      ),
    ).toThrow('devops.kubernetes.podRetention must be one of none, failed, all; got "some"');
  });
});

import { ConfigReader } from '@backstage/config';
import {
  quantityValue,
  readTaskResourceSettings,
  taskPodResources,
} from './taskResources';

describe('task resources', () => {
  it('reads quantities as Kubernetes does', () => {
    expect(quantityValue('500m')).toBe(0.5);
    expect(quantityValue('2')).toBe(2);
    expect(quantityValue('512Mi')).toBe(512 * 2 ** 20);
    expect(quantityValue('1G')).toBe(1e9);
    expect(quantityValue('1.5Gi')).toBe(1.5 * 2 ** 30);
  });

  it('reads the defaults and maximums, refusing what is not a quantity', () => {
    const config = (taskResources: object) =>
      new ConfigReader({ devops: { kubernetes: { taskResources } } });
    expect(
      readTaskResourceSettings(
        config({
          defaults: { requests: { cpu: '250m' }, limits: { memory: '1Gi' } },
          maximums: { cpu: '4', memory: '8Gi' },
        }),
      ),
    ).toEqual({
      defaults: { requests: { cpu: '250m' }, limits: { memory: '1Gi' } },
      maximums: { cpu: '4', memory: '8Gi' },
    });
    expect(readTaskResourceSettings(new ConfigReader({}))).toEqual({
      defaults: {},
      maximums: {},
    });
    expect(() =>
      readTaskResourceSettings(config({ maximums: { memory: 'lots' } })),
    ).toThrow(
      'devops.kubernetes.taskResources.maximums.memory "lots" is not a Kubernetes quantity such as 500m or 2 (CPU), 512Mi or 1Gi (memory)',
    );
  });

  it("takes the task's values over the defaults, within the maximums", () => {
    const settings = {
      defaults: {
        requests: { cpu: '100m', memory: '64Mi' },
        limits: { memory: '128Mi' },
      },
      maximums: { cpu: '2', memory: '1Gi' },
    };
    expect(
      taskPodResources({ limits: { memory: '512Mi', cpu: '1' } }, settings),
    ).toEqual({
      requests: { cpu: '100m', memory: '64Mi' },
      limits: { memory: '512Mi', cpu: '1' },
    });
    expect(taskPodResources(undefined, { defaults: {}, maximums: {} })).toEqual(
      {},
    );
    expect(() =>
      taskPodResources({ requests: { cpu: '2500m' } }, settings),
    ).toThrow(
      "The task's cpu request 2500m is above the portal's maximum of 2 (devops.kubernetes.taskResources.maximums.cpu); ask for at most 2 in the task's resources",
    );
  });
});

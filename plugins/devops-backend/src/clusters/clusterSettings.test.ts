import { ConfigReader } from '@backstage/config';
import { readClusterSettings } from './clusterSettings';

describe('readClusterSettings', () => {
  it('has defaults', () => {
    expect(readClusterSettings(new ConfigReader({}))).toEqual({
      defaultNamespace: 'devops-pipelines',
      healthCheckFrequency: { minutes: 1 },
    });
  });

  it('reads the namespace and the frequency as an object or an ISO duration', () => {
    expect(
      readClusterSettings(
        new ConfigReader({ devops: { kubernetes: { namespace: 'ci', healthCheckFrequency: { minutes: 5 } } } }),
      ),
    ).toEqual({ defaultNamespace: 'ci', healthCheckFrequency: { minutes: 5 } });
    expect(
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { healthCheckFrequency: 'PT30S' } } }))
        .healthCheckFrequency,
    ).toEqual({ seconds: 30 });
  });

  it('refuses values that cannot work, naming the key', () => {
    expect(() =>
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { namespace: 'CI_Pods' } } })),
    ).toThrow(
      'devops.kubernetes.namespace "CI_Pods" is not a Kubernetes namespace name: it must be 1 to 63 characters of lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
    expect(() =>
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { healthCheckFrequency: 'often' } } })),
    ).toThrow(/^devops\.kubernetes\.healthCheckFrequency is not a duration such as \{ minutes: 5 \} or "PT5M": /);
  });
});

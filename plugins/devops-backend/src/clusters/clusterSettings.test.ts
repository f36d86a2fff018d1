import { ConfigReader } from '@backstage/config';
import { readClusterSettings } from './clusterSettings';

describe('readClusterSettings', () => {
  it('has defaults', () => {
    expect(readClusterSettings(new ConfigReader({}))).toEqual({
      namespacePrefix: 'devops',
      healthCheckFrequency: { minutes: 1 },
    });
  });

  it('reads the namespace prefix and the frequency as an object or an ISO duration', () => {
    expect(
      readClusterSettings(
        new ConfigReader({ devops: { kubernetes: { namespacePrefix: 'ci', healthCheckFrequency: { minutes: 5 } } } }),
      ),
    ).toEqual({ namespacePrefix: 'ci', healthCheckFrequency: { minutes: 5 } });
    expect(
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { healthCheckFrequency: 'PT30S' } } }))
        .healthCheckFrequency,
    ).toEqual({ seconds: 30 });
  });

  it('refuses values that cannot work, naming the key', () => {
    expect(() =>
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { namespacePrefix: 'CI_Pods' } } })),
    ).toThrow(
      'devops.kubernetes.namespacePrefix "CI_Pods" is not a namespace prefix: it must be 1 to 63 characters of lowercase letters, digits and "-", starting and ending with a letter or digit, and at most 40 long',
    );
    expect(() =>
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { namespacePrefix: 'a'.repeat(41) } } })),
    ).toThrow(/is not a namespace prefix/);
    expect(() =>
      readClusterSettings(new ConfigReader({ devops: { kubernetes: { healthCheckFrequency: 'often' } } })),
    ).toThrow(/^devops\.kubernetes\.healthCheckFrequency is not a duration such as \{ minutes: 5 \} or "PT5M": /);
  });

  it('says what replaced the shared namespace of before', () => {
    expect(() => readClusterSettings(new ConfigReader({ devops: { kubernetes: { namespace: 'ci' } } }))).toThrow(
      'devops.kubernetes.namespace is no longer read: each binding gets a namespace of its own, <devops.kubernetes.namespacePrefix>-<cluster name>; set devops.kubernetes.namespacePrefix instead (bindings made before keep their namespace)',
    );
  });
});

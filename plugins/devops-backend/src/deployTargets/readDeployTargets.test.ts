import { ConfigReader } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { allowsNamespace, readDeployTargets } from './readDeployTargets';

const read = (deployTargets: JsonValue) =>
  readDeployTargets(new ConfigReader({ devops: { deployTargets } }));

describe('readDeployTargets', () => {
  it('reads entries with their refs completed and lower-cased', () => {
    expect(
      read([
        { cluster: 'staging', groups: ['Web-Team'], namespaces: ['web-*'] },
        { cluster: 'production', entities: ['shop', 'api:default/Payments'] },
      ]),
    ).toEqual([
      {
        cluster: 'staging',
        namespaces: ['web-*'],
        groups: ['group:default/web-team'],
        entities: [],
      },
      {
        cluster: 'production',
        namespaces: undefined,
        groups: [],
        entities: ['component:default/shop', 'api:default/payments'],
      },
    ]);
    expect(readDeployTargets(new ConfigReader({}))).toEqual([]);
  });

  it('fails on a mistake, naming the entry', () => {
    expect(() => read([{ cluster: 'staging' }])).toThrow(
      "devops.deployTargets[0] names no groups and no entities: say whose pipelines may deploy to cluster 'staging'",
    );
    expect(() =>
      read([{ cluster: 'a', groups: ['user:default/jack'] }]),
    ).toThrow(
      'devops.deployTargets[0].groups: "user:default/jack" is a user, not a group; list it under entities',
    );
    expect(() =>
      read([{ cluster: 'a', groups: ['web-team'], namespaces: ['Web_Prod'] }]),
    ).toThrow(
      'devops.deployTargets[0].namespaces: "Web_Prod" is not a namespace name',
    );
    expect(() => read([{ groups: ['web-team'] }])).toThrow(/cluster/);
  });

  it('matches namespaces by name, `*` standing for any run of name characters', () => {
    const [rule] = read([
      { cluster: 'c', groups: ['g'], namespaces: ['web-*', 'shop'] },
    ]);
    expect(
      ['web-', 'web-prod', 'web-a-b', 'shop'].filter(n =>
        allowsNamespace(rule, n),
      ),
    ).toHaveLength(4);
    expect(
      ['web', 'shopping', 'xweb-prod', 'prod'].some(n =>
        allowsNamespace(rule, n),
      ),
    ).toBe(false);
    const [anywhere] = read([{ cluster: 'c', groups: ['g'] }]);
    expect(allowsNamespace(anywhere, 'kube-system')).toBe(true);
  });
});

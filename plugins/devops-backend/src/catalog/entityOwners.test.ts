import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { catalogEntityOwners } from './entityOwners';

describe('catalogEntityOwners', () => {
  const catalog = catalogServiceMock({
    entities: [
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'jack-2048', namespace: 'default' },
        spec: { owner: 'team-a' },
        relations: [{ type: 'ownedBy', targetRef: 'group:default/Team-A' }],
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'shop', namespace: 'retail' },
        spec: { owner: 'web' },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'orphan', namespace: 'default' },
        spec: {},
      },
    ],
  });

  it('reads owners from the relations, else from spec.owner in the entity namespace', async () => {
    const owners = catalogEntityOwners(catalog, mockServices.auth());

    const result = await owners([
      'component:default/jack-2048',
      'component:retail/shop',
      'component:default/orphan',
      'component:default/not-in-catalog',
      'component:default/jack-2048',
    ]);

    expect(Object.fromEntries(result)).toEqual({
      'component:default/jack-2048': ['group:default/team-a'],
      'component:retail/shop': ['group:retail/web'],
      'component:default/orphan': [],
      'component:default/not-in-catalog': [],
    });
  });

  it('does not ask the catalog for no entity', async () => {
    const empty = catalogServiceMock.mock();
    expect((await catalogEntityOwners(empty, mockServices.auth())([])).size).toBe(0);
    expect(empty.getEntitiesByRefs).not.toHaveBeenCalled();
  });
});

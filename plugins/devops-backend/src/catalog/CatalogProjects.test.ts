import { mockServices } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { CatalogProjects } from './CatalogProjects';
import { catalogEntityOwners } from './entityOwners';
import { PROJECT_CATALOG } from './__testUtils__/projectCatalog';

describe('CatalogProjects', () => {
  const catalog = catalogServiceMock({ entities: PROJECT_CATALOG });
  const auth = mockServices.auth();
  const projects = new CatalogProjects(
    catalog,
    auth,
    catalogEntityOwners(catalog, auth),
  );

  it("counts the owners of an entity and every group nested below them as its project's members", async () => {
    const members = await projects.members([
      'component:default/jack-2048',
      'component:default/shop',
      'component:default/solo',
      'component:default/not-in-catalog',
    ]);

    expect(Object.fromEntries(members)).toEqual({
      'component:default/jack-2048': [
        'group:default/web-team',
        'group:default/web-frontend',
      ],
      'component:default/shop': [
        'group:default/org',
        'group:default/web-team',
        'group:default/web-frontend',
      ],
      'component:default/solo': ['user:default/bob'],
      'component:default/not-in-catalog': [],
    });
  });

  it("finds the entities of the projects a user's claims belong to, through nested groups", async () => {
    expect(
      (
        await projects.entitiesOf([
          'user:default/alice',
          'group:default/Web-Frontend',
        ])
      ).sort(),
    ).toEqual(['component:default/jack-2048', 'component:default/shop']);
    expect(await projects.entitiesOf(['user:default/bob'])).toEqual([
      'component:default/solo',
    ]);
    expect(await projects.entitiesOf([])).toEqual([]);
  });
});

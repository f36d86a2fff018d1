import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  devopsPipelineCreatePermission,
  devopsPipelineReadPermission,
} from '@devops-pipelines/plugin-devops-common';
import { PROJECT_CATALOG } from '../catalog/__testUtils__/projectCatalog';
import {
  DevopsTestBackend,
  pipelineDocument,
  uniqueName,
} from '../router/__testUtils__/devopsTestBackend';
import {
  createDevopsPipelineConditionalDecision,
  devopsPipelineConditions,
} from './conditionExports';

jest.setTimeout(60_000);

/** The claims a policy passes for alice, a member of web-frontend (in web-team, in org). */
const ALICES_CLAIMS = ['user:default/alice', 'group:default/web-frontend'];

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'IS_PROJECT_MEMBER on %s',
  databaseId => {
    let backend: DevopsTestBackend;
    const ids: Record<string, string> = {};

    beforeAll(async () => {
      backend = await DevopsTestBackend.start(
        await databases.init(databaseId),
        { catalog: PROJECT_CATALOG },
      );
      for (const entity of ['jack-2048', 'shop', 'solo', 'payments-api']) {
        const created = await backend.createPipeline(
          pipelineDocument({
            name: uniqueName(entity),
            entityRef: `component:default/${entity}`,
          }),
        );
        ids[entity] = created.status.id;
      }
      // A policy for alice, written with the package's condition exports.
      backend.setPermissions(name =>
        name === devopsPipelineReadPermission.name ||
        name === devopsPipelineCreatePermission.name
          ? createDevopsPipelineConditionalDecision(
              name === devopsPipelineReadPermission.name
                ? devopsPipelineReadPermission
                : devopsPipelineCreatePermission,
              devopsPipelineConditions.isProjectMember({
                claims: ALICES_CLAIMS,
              }),
            )
          : { result: AuthorizeResult.ALLOW },
      );
    });
    afterAll(() => backend?.stop());

    it("lists the pipelines of the projects the user's groups belong to, nested groups included", async () => {
      const res = await backend.http.get('/api/devops/pipelines?limit=200');

      const entities = res.body.items.map(
        (p: { metadata: { entityRef: string } }) => p.metadata.entityRef,
      );
      expect(res.status).toBe(200);
      expect(entities).toContain('component:default/jack-2048');
      expect(entities).toContain('component:default/shop');
      expect(entities).not.toContain('component:default/solo');
      expect(entities).not.toContain('component:default/payments-api');
    });

    it('decides one pipeline at a time the same way', async () => {
      const read = (id: string) =>
        backend.http.get(`/api/devops/pipelines/${id}`);

      expect((await read(ids['jack-2048'])).status).toBe(200);
      expect((await read(ids.shop)).status).toBe(200);
      expect((await read(ids['payments-api'])).status).toBe(404);
    });

    it('lets the user create in their projects only', async () => {
      const create = (entity: string) =>
        backend.http
          .post('/api/devops/pipelines')
          .send(pipelineDocument({ entityRef: `component:default/${entity}` }));

      expect((await create('jack-2048')).status).toBe(201);
      expect((await create('payments-api')).status).toBe(403);
    });
  },
);

import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DevopsTestBackend } from '../router/__testUtils__/devopsTestBackend';
import { ChartIndexServer } from './__testUtils__/ChartIndexServer';

jest.setTimeout(60_000);

const JACK = 'component:default/jack-2048';

describe('GET /charts/versions', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let repository: ChartIndexServer;
  let backend: DevopsTestBackend;

  beforeAll(async () => {
    repository = await ChartIndexServer.start();
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'), {
      devops: {
        chartRepository: { type: 'chartmuseum', url: repository.url },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await repository?.stop();
  });

  const versions = (query: string) =>
    backend.http.get(`/api/devops/charts/versions${query}`);

  it("lists the chart's versions to those who may create pipelines of the entity", async () => {
    const res = await versions(`?chart=web-app&entityRef=${JACK}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      versions: ['2.0.0-rc.1', '1.10.0', '1.9.3', '1.2.0', '0.1.0'],
    });
  });

  it('refuses those who may not', async () => {
    backend.setPermissions(name =>
      name === 'devops.pipeline.create'
        ? { result: AuthorizeResult.DENY }
        : { result: AuthorizeResult.ALLOW },
    );
    try {
      const res = await versions(`?chart=web-app&entityRef=${JACK}`);
      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `You are not allowed to create or edit pipelines for ${JACK}`,
      );
    } finally {
      backend.resetPermissions();
    }
  });

  it('refuses what is not a chart name, and a request without an entity', async () => {
    const badName = await versions(`?chart=Web_App&entityRef=${JACK}`);
    expect(badName.status).toBe(400);
    expect(badName.body.error.message).toBe(
      '"Web_App" is not a Helm chart name: chart names are 1 to 63 lowercase letters, digits and "-", starting and ending with a letter or digit',
    );
    expect((await versions(`?entityRef=${JACK}`)).body.error.message).toBe(
      'chart must be one chart name',
    );
    expect(
      (await versions(`?chart=${'a'.repeat(64)}&entityRef=${JACK}`)).status,
    ).toBe(400);
    expect((await versions('?chart=web-app')).status).toBe(400);
  });
});

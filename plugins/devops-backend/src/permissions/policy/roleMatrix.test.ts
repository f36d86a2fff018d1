import { TestDatabases, mockCredentials } from '@backstage/backend-test-utils';
import type { PolicyDecision } from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import { devopsPermissions } from '@devops-pipelines/plugin-devops-common';
import { PROJECT_CATALOG } from '../../catalog/__testUtils__/projectCatalog';
import {
  DevopsTestBackend,
  documentOf,
  pipelineDocument,
  uniqueName,
  userHeader,
} from '../../router/__testUtils__/devopsTestBackend';
import { DatabaseClusterStore } from '../../database/DatabaseClusterStore';
import { DevopsPermissionPolicy } from './DevopsPermissionPolicy';

jest.setTimeout(60_000);

const userOf = (userEntityRef: string, groups: string[]): PolicyQueryUser => ({
  credentials: mockCredentials.user(userEntityRef),
  info: { userEntityRef, ownershipEntityRefs: [userEntityRef, ...groups] },
});

/** An admin; a member of web-team (jack-2048's owner, nested in org, shop's owner); a normal user. */
const ADA = userOf('user:default/ada', ['group:default/platform-admins']);
const PAT = userOf('user:default/pat', ['group:default/web-team']);
const NORA = userOf('user:default/nora', []);
const FRAN = userOf('user:default/fran', ['group:default/web-frontend']);
const OTHER = 'user:default/someone-else';

const policy = new DevopsPermissionPolicy({
  adminGroups: ['group:default/platform-admins'],
});

/*
 * SPEC §9 through the HTTP API with the shipped policy's decisions for each user, on a
 * catalog with nested groups. (The test backend's permission service answers with the
 * decisions the policy gives that user; roleMatrix.wholeStack.test.ts proves every cell
 * again with real tokens and the permission backend.)
 */
describe('the default policy through the API', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: DevopsTestBackend;
  const ids: Record<string, string> = {};

  /** From now on the backend decides as the policy does for `user`. */
  async function actAs(user: PolicyQueryUser) {
    const decisions = new Map<string, PolicyDecision>();
    for (const permission of devopsPermissions) {
      decisions.set(permission.name, await policy.handle({ permission }, user));
    }
    backend.setPermissions(name => decisions.get(name)!);
    const header = userHeader(user.info.userEntityRef);
    return {
      get: (path: string) =>
        backend.http.get(`/api/devops${path}`).set('Authorization', header),
      post: (path: string, body: object) =>
        backend.http
          .post(`/api/devops${path}`)
          .set('Authorization', header)
          .send(body),
      put: (path: string, body: object) =>
        backend.http
          .put(`/api/devops${path}`)
          .set('Authorization', header)
          .send(body),
      delete: (path: string) =>
        backend.http.delete(`/api/devops${path}`).set('Authorization', header),
    };
  }

  const entityOf = (name: string) => `component:default/${name}`;
  const listed = async (api: Awaited<ReturnType<typeof actAs>>) =>
    (await api.get('/pipelines?limit=200')).body.items.map(
      (p: { metadata: { entityRef: string } }) => p.metadata.entityRef,
    );
  const rename = async (api: Awaited<ReturnType<typeof actAs>>, id: string) => {
    const pipeline = (await backend.http.get(`/api/devops/pipelines/${id}`))
      .body;
    return api.put(`/pipelines/${id}`, {
      ...documentOf(pipeline),
      metadata: { ...pipeline.metadata, title: uniqueName('renamed') },
      version: pipeline.status.version,
    });
  };

  /** Cluster bindings by scope: the whole portal, web-team, its sub-team, payments, both. */
  const BINDINGS: Record<string, string[]> = {
    portal: [],
    web: ['group:default/web-team'],
    front: ['group:default/web-frontend'],
    pay: ['group:default/payments'],
    mixed: ['group:default/web-team', 'group:default/payments'],
  };
  const clustersSeen = async (api: Awaited<ReturnType<typeof actAs>>) =>
    (await api.get('/clusters')).body.items
      .map((b: { name: string }) => b.name)
      .sort();

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    backend = await DevopsTestBackend.start(knex, { catalog: PROJECT_CATALOG });
    for (const [name, scope] of Object.entries(BINDINGS)) {
      await new DatabaseClusterStore(knex).create({
        name,
        namespace: 'devops',
        scope,
        createdBy: OTHER,
        health: 'healthy',
      });
    }
    for (const [key, entity, creator] of [
      ['jack', 'jack-2048', OTHER],
      ['pats-jack', 'jack-2048', PAT.info.userEntityRef],
      ['shop', 'shop', OTHER],
      ['payments', 'payments-api', OTHER],
      ['noras-solo', 'solo', NORA.info.userEntityRef],
    ]) {
      const created = await backend.createPipeline(
        pipelineDocument({
          name: uniqueName(key),
          entityRef: entityOf(entity),
        }),
        creator,
      );
      ids[key] = created.status.id;
    }
  });
  afterAll(() => backend?.stop());

  it('an admin sees and runs everything, and edits only what they created', async () => {
    const ada = await actAs(ADA);

    expect(await listed(ada)).toEqual(
      expect.arrayContaining([entityOf('payments-api'), entityOf('solo')]),
    );
    expect((await ada.post(`/pipelines/${ids.payments}/runs`, {})).status).toBe(
      201,
    );
    expect((await rename(ada, ids.payments)).status).toBe(403);
    expect(await clustersSeen(ada)).toEqual(Object.keys(BINDINGS).sort());
    expect((await ada.get('/clusters')).body.canBind).toBe(true);
  });

  it("a project member works in their projects' pipelines, nested groups included, and edits their own", async () => {
    const pat = await actAs(PAT);

    const seen = await listed(pat);
    expect(seen).toEqual(
      expect.arrayContaining([entityOf('jack-2048'), entityOf('shop')]),
    );
    expect(seen).not.toContain(entityOf('payments-api'));
    expect((await pat.get(`/pipelines/${ids.payments}`)).status).toBe(404);
    expect((await pat.post(`/pipelines/${ids.jack}/runs`, {})).status).toBe(
      201,
    );
    expect((await rename(pat, ids.jack)).status).toBe(403);
    expect((await rename(pat, ids['pats-jack'])).status).toBe(200);
    expect(
      (
        await pat.post(
          '/pipelines',
          pipelineDocument({ entityRef: entityOf('payments-api') }),
        )
      ).status,
    ).toBe(403);
    expect(
      (await pat.post(`/pipelines/${ids.shop}/copy`, { name: uniqueName('c') }))
        .status,
    ).toBe(201);
    // What the pages ask before they offer Create, Copy and Import.
    const mayCreate = async (query: string) =>
      (await pat.get(`/pipelines/create-permission${query}`)).body.allowed;
    expect(await mayCreate(`?entityRef=${entityOf('jack-2048')}`)).toBe(true);
    expect(await mayCreate(`?entityRef=${entityOf('payments-api')}`)).toBe(
      false,
    );
    expect(await mayCreate('')).toBe(true);
  });

  it("a project member sees the clusters of their groups' projects, and binds and unbinds for their groups only", async () => {
    const pat = await actAs(PAT);

    // Not front: web-frontend's projects are its own, though it sits below web-team.
    expect(await clustersSeen(pat)).toEqual(['mixed', 'web']);
    expect((await pat.get('/clusters')).body.canBind).toBe(true);
    expect((await pat.get('/clusters/available')).status).toBe(200);
    // Past the policy, the binding fails only because this portal knows no such cluster.
    const own = await pat.post('/clusters', {
      name: 'staging',
      scope: ['web-team'],
    });
    expect(own.status).toBe(400);
    expect(own.body.error.message).toMatch(
      /^The portal knows no Kubernetes cluster named 'staging'/,
    );
    for (const [scope, named] of [
      [
        ['web-team', 'payments'],
        'group:default/web-team, group:default/payments',
      ],
      [[], 'the whole portal'],
    ]) {
      const refused = await pat.post('/clusters', { name: 'staging', scope });
      expect(refused.status).toBe(403);
      expect(refused.body.error.message).toBe(
        `You are not allowed to bind cluster 'staging' for ${named}`,
      );
    }
    expect((await pat.delete('/clusters/mixed?force=true')).status).toBe(403);
    expect((await pat.delete('/clusters/portal?force=true')).status).toBe(403);
    expect((await pat.delete('/clusters/web?force=true')).status).toBe(204);

    // A member of a sub-team joined web-team's projects too.
    expect(await clustersSeen(await actAs(FRAN))).toEqual(['front', 'mixed']);
  });

  it('a normal user sees only what they created, and can do nothing else', async () => {
    const nora = await actAs(NORA);

    expect(await listed(nora)).toEqual([entityOf('solo')]);
    expect((await nora.post(`/pipelines/${ids.jack}/runs`, {})).status).toBe(
      404,
    );
    expect(
      (
        await nora.post(
          '/pipelines',
          pipelineDocument({ entityRef: entityOf('jack-2048') }),
        )
      ).status,
    ).toBe(403);
    expect((await nora.get('/repositories/accounts')).status).toBe(200);
    expect(
      (
        await nora.get(
          `/pipelines/create-permission?entityRef=${entityOf('jack-2048')}`,
        )
      ).body,
    ).toEqual({ allowed: false });
    expect((await nora.get('/clusters')).status).toBe(403);
    expect((await nora.get('/clusters/available')).status).toBe(403);
  });
});

import { TestDatabases } from '@backstage/backend-test-utils';
import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  DevopsTestBackend,
  documentOf,
  pipelineDocument,
} from '../router/__testUtils__/devopsTestBackend';
import { GitHttpServer } from '../scm/__testUtils__/GitHttpServer';
import { TestRepository } from '../scm/__testUtils__/TestRepository';
import { connectAccount, userApi } from './__testUtils__/accountFlow';
import { OAuthStandIn } from './__testUtils__/OAuthStandIn';

jest.setTimeout(60_000);

/*
 * Private repositories read with a user's connected account: the OAuth and REST
 * STAND-IN for GitHub (no real GitHub runs here; see OAuthStandIn) also serves a real
 * git repository through `git http-backend` on its origin, which takes only the tokens
 * the stand-in issued, as GitHub's git over https does.
 */

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const PRIVATE_README = 'Only for those with a token\n';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('private sources', () => {
  let backend: DevopsTestBackend;
  let github: OAuthStandIn;
  let gitHost: GitHttpServer;
  let root: string;
  let repositoryUrl: string;
  let accountId: string;

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-private-'));
    TestRepository.create(path.join(root, 'octocat', 'private-app.git')).commit(
      { 'README.md': PRIVATE_README },
      'Private content',
    );
    github = await OAuthStandIn.start('github', 'octocat');
    github.registerApplication('Iv1.portal-app', 'portal-app-secret');
    github.addRepository('octocat/private-app');
    gitHost = await GitHttpServer.start({
      root,
      accepts: (username, password) =>
        username === 'x-access-token' && github.isValidToken(password),
    });
    github.serveGit((req, res) => gitHost.handle(req, res));
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'), {
      devops: { repositories: { allowedHosts: ['127.0.0.1'] } },
    });
    await connectAccount(backend, ALICE, github);
    const list = await userApi(backend, ALICE).get(
      '/repositories/github/repos',
    );
    repositoryUrl = list.body.items[0].url;
    accountId = list.body.via.accountId;
  });
  afterAll(async () => {
    await backend?.stop();
    await github?.stop();
    await gitHost?.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  const privatePipeline = (source: object) => {
    const document = pipelineDocument({ scripts: ['cat README.md'] });
    return { ...document, spec: { ...document.spec, source } };
  };
  const aliceSource = () => ({
    provider: 'github',
    repository: repositoryUrl,
    branch: 'main',
    accountId,
  });

  it("checks a private repository out with the pipeline's account, the token in no log", async () => {
    const created = await userApi(backend, ALICE).post(
      '/pipelines',
      privatePipeline(aliceSource()),
    );
    expect(created.status).toBe(201);

    const run = await backend.waitForRun(
      (
        await backend.startRun(created.body.status.id)
      ).id,
    );
    const log = await backend.downloadLog(run.id);

    expect(run.status).toBe('succeeded');
    // The checkout is a step of its own, named after the repository and the commit.
    const checkoutName = `Checkout private-app@${run.commit!.slice(0, 8)}`;
    expect(run.setup).toEqual([
      expect.objectContaining({
        step: 'initialisation',
        name: 'Initialisation',
        status: 'succeeded',
      }),
      expect.objectContaining({
        step: 'checkout',
        name: checkoutName,
        status: 'succeeded',
        durationMs: expect.any(Number),
      }),
    ]);
    expect(log).toContain(`[${checkoutName}] `);
    expect(log).toContain(PRIVATE_README.trim());
    expect(log).not.toMatch(/gho_/);
    expect(
      gitHost.requests.filter(r => r.status === 200).map(r => r.username),
    ).toContain('x-access-token');
  });

  it('fails the source step asking to reconnect once the host revoked the token', async () => {
    const created = await userApi(backend, ALICE).post(
      '/pipelines',
      privatePipeline(aliceSource()),
    );
    github.revokeAll();
    try {
      const run = await backend.waitForRun(
        (
          await backend.startRun(created.body.status.id)
        ).id,
      );

      expect(run.status).toBe('failed');
      expect(run.message).toMatch(
        /reconnect your GitHub account on the Repositories page/,
      );
      expect(run.setup[1]).toMatchObject({
        step: 'checkout',
        status: 'failed',
        message: run.message,
      });
      expect(await backend.downloadLog(run.id)).not.toMatch(/gho_/);
    } finally {
      // The other tests need a valid token again.
      await connectAccount(backend, ALICE, github);
    }
  });

  it("keeps others from pointing a pipeline's source at an account that is not theirs", async () => {
    const res = await userApi(backend, BOB).post(
      '/pipelines',
      privatePipeline(aliceSource()),
    );

    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      "The source names a code host account that is not yours: only an account's owner may have a pipeline read a repository with it; choose your own account or the portal's credentials in the Source",
    );
  });

  it("takes only clone URLs of the account's host, as it was connected, for a source read with it", async () => {
    const { host, origin } = new URL(github.baseUrl);
    const res = await userApi(backend, ALICE).post(
      '/pipelines',
      privatePipeline({
        ...aliceSource(),
        repository: repositoryUrl.replace('http://', 'https://'),
      }),
    );

    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      `To be read with your GitHub account, the repository must be its http clone URL on ${host} (${origin}/owner/repository.git)`,
    );
  });

  it('lets another editor keep the account where the repository stays, not move it elsewhere', async () => {
    const created = await userApi(backend, ALICE).post(
      '/pipelines',
      privatePipeline(aliceSource()),
    );
    const document = documentOf(created.body);
    const url = `/pipelines/${created.body.status.id}`;
    const rename = await userApi(backend, BOB).put(url, {
      ...document,
      metadata: { ...document.metadata, title: 'Renamed by Bob' },
      version: created.body.status.version,
    });
    const move = await userApi(backend, BOB).put(url, {
      ...document,
      spec: {
        ...document.spec,
        source: {
          ...aliceSource(),
          repository: repositoryUrl.replace('private-app', 'other-private'),
        },
      },
      version: rename.body.status.version,
    });

    expect(rename.status).toBe(200);
    expect(move.status).toBe(403);
  });

  it('fails a re-run whose account has logged out since, saying to choose other credentials', async () => {
    const standIn = await OAuthStandIn.start('github', 'erin');
    standIn.registerApplication('Iv1.portal-app', 'portal-app-secret');
    const erin = 'user:default/erin';
    try {
      await connectAccount(backend, erin, standIn);
      const { body: accounts } = await userApi(backend, erin).get(
        '/repositories/accounts',
      );
      const source = {
        provider: 'github',
        repository: `${standIn.baseUrl}/erin/app.git`,
        branch: 'main',
        accountId: accounts.items[0].id,
      };
      const created = await userApi(backend, erin).post(
        '/pipelines',
        privatePipeline(source),
      );
      const first = await backend.waitForRun(
        (
          await backend.startRun(created.body.status.id)
        ).id,
      );
      // The pipeline moves to a public source, and the account logs out.
      const { accountId: _dropped, ...publicSource } = source;
      const document = documentOf(created.body);
      const moved = await userApi(backend, erin).put(
        `/pipelines/${created.body.status.id}`,
        {
          ...document,
          spec: { ...document.spec, source: publicSource },
          version: created.body.status.version,
        },
      );
      expect(moved.status).toBe(200);
      expect(
        (await userApi(backend, erin).delete('/repositories/github')).status,
      ).toBe(204);

      const rerun = await userApi(backend, erin).post(
        `/runs/${first.id}/rerun`,
        {},
      );
      const run = await backend.waitForRun(rerun.body.id);

      expect(run.status).toBe('failed');
      expect(run.message).toBe(
        "The GitHub account the pipeline's source is read with is no longer connected; choose other credentials in the pipeline's Source",
      );
    } finally {
      await standIn.stop();
    }
  });

  it('refuses to log out while pipelines read their source with the account, naming them', async () => {
    const document = privatePipeline(aliceSource());
    await userApi(backend, ALICE).post('/pipelines', document);

    const res = await userApi(backend, ALICE).delete('/repositories/github');

    expect(res.status).toBe(409);
    expect(res.body.error.message).toMatch(
      /^\d+ pipelines read their source with your GitHub account: .*"/,
    );
    expect(res.body.error.message).toContain(
      `"${document.metadata.name}" (${document.metadata.entityRef})`,
    );
    expect(res.body.error.message).toMatch(
      /; choose other credentials in their Source, then log out$/,
    );
    expect(
      (await userApi(backend, ALICE).get('/repositories/accounts')).body.items,
    ).toEqual([
      expect.objectContaining({ provider: 'github', connected: true }),
    ]);
  });
});

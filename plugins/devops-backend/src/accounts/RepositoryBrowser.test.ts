import { TestDatabases } from '@backstage/backend-test-utils';
import { DevopsTestBackend } from '../router/__testUtils__/devopsTestBackend';
import { connectAccount, userApi } from './__testUtils__/accountFlow';
import { OAuthStandIn } from './__testUtils__/OAuthStandIn';

jest.setTimeout(60_000);

/*
 * The repository and branch pickers' lists, through the running backend, read from an
 * OAuth and REST STAND-IN for GitHub and GitLab (no real host runs here; OAuthStandIn
 * names the documented shapes and paging it answers with).
 */

const ALICE = 'user:default/alice';
const CAROL = 'user:default/carol';
const PORTAL_TOKEN = 'ghp_portal-integration-token';

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

describe('repository and branch lists', () => {
  let backend: DevopsTestBackend;
  let github: OAuthStandIn;
  let gitlab: OAuthStandIn;

  beforeAll(async () => {
    github = await OAuthStandIn.start('github', 'octocat');
    gitlab = await OAuthStandIn.start('gitlab', 'gitlab-user');
    for (const standIn of [github, gitlab]) {
      standIn.registerApplication('Iv1.portal-app', 'portal-app-secret');
    }
    for (let n = 1; n <= 45; n++) {
      github.addRepository(`octocat/service-${String(n).padStart(2, '0')}`, {
        private: n % 2 === 0,
      });
    }
    github.addRepository('octocat/api-gateway', {
      branches: [
        'main',
        ...Array.from({ length: 24 }, (_, n) => `feature/f-${n + 1}`),
      ],
    });
    gitlab.addRepository('platform/backend/billing', {
      branches: ['main', 'release-1.0', 'release-1.1'],
    });
    gitlab.addRepository('platform/frontend', { private: false });
    github.acceptToken(PORTAL_TOKEN);
    backend = await DevopsTestBackend.start(await databases.init('SQLITE_3'), {
      devops: { repositories: { allowedHosts: ['127.0.0.1'] } },
      integrations: {
        github: [
          {
            host: new URL(github.baseUrl).host,
            apiBaseUrl: `${github.baseUrl}/api/v3`,
            token: PORTAL_TOKEN,
          },
        ],
      },
    });
    await connectAccount(backend, ALICE, github);
    await connectAccount(backend, ALICE, gitlab);
  });
  afterAll(async () => {
    await backend?.stop();
    await github?.stop();
    await gitlab?.stop();
  });

  const alice = () => userApi(backend, ALICE);

  it("pages through the GitHub account's repositories, twenty at a time", async () => {
    const first = await alice().get('/repositories/github/repos');
    const last = await alice().get('/repositories/github/repos?page=3');

    expect(first.status).toBe(200);
    expect(first.body.items).toHaveLength(20);
    expect(first.body.items[1]).toEqual({
      name: 'octocat/service-02',
      url: `${github.baseUrl}/octocat/service-02.git`,
      webUrl: `${github.baseUrl}/octocat/service-02`,
      defaultBranch: 'main',
      private: true,
    });
    expect(first.body).toMatchObject({
      page: 1,
      nextPage: 2,
      via: {
        kind: 'account',
        accountId: expect.any(String),
        login: 'octocat',
        baseUrl: github.baseUrl,
      },
    });
    expect(last.body.items.map((r: { name: string }) => r.name)).toEqual([
      'octocat/service-41',
      'octocat/service-42',
      'octocat/service-43',
      'octocat/service-44',
      'octocat/service-45',
      'octocat/api-gateway',
    ]);
    expect(last.body.nextPage).toBeUndefined();
    expect(github.apiRequests).toContain(
      '/api/v3/user/repos?sort=updated&per_page=20&page=3',
    );
  });

  it('searches GitHub repositories by part of their name', async () => {
    const res = await alice().get('/repositories/github/repos?search=GATE');

    expect(res.body.items.map((r: { name: string }) => r.name)).toEqual([
      'octocat/api-gateway',
    ]);
    expect(res.body.nextPage).toBeUndefined();
  });

  it("pages a GitHub repository's branches and finds them by prefix", async () => {
    const repository = encodeURIComponent(
      `${github.baseUrl}/octocat/api-gateway.git`,
    );
    const second = await alice().get(
      `/repositories/github/branches?repository=${repository}&page=2`,
    );
    const found = await alice().get(
      `/repositories/github/branches?repository=${repository}&search=feature/f-2`,
    );

    expect(second.body.items).toEqual([
      { name: 'feature/f-20' },
      { name: 'feature/f-21' },
      { name: 'feature/f-22' },
      { name: 'feature/f-23' },
      { name: 'feature/f-24' },
    ]);
    expect(second.body.nextPage).toBeUndefined();
    expect(found.body.items.map((b: { name: string }) => b.name)).toEqual([
      'feature/f-2',
      'feature/f-20',
      'feature/f-21',
      'feature/f-22',
      'feature/f-23',
      'feature/f-24',
    ]);
    expect(github.apiRequests).toContain(
      '/api/v3/repos/octocat/api-gateway/git/matching-refs/heads/feature/f-2',
    );
  });

  it("lists the GitLab projects the user is a member of, and a nested project's branches", async () => {
    const projects = await alice().get(
      '/repositories/gitlab/repos?search=bill',
    );
    const branches = await alice().get(
      `/repositories/gitlab/branches?repository=${encodeURIComponent(
        `${gitlab.baseUrl}/platform/backend/billing`,
      )}&search=release`,
    );

    expect(projects.body.items).toEqual([
      {
        name: 'platform/backend/billing',
        url: `${gitlab.baseUrl}/platform/backend/billing.git`,
        webUrl: `${gitlab.baseUrl}/platform/backend/billing`,
        defaultBranch: 'main',
        private: true,
      },
    ]);
    expect(projects.body.via).toMatchObject({ login: 'gitlab-user' });
    expect(branches.body.items).toEqual([
      { name: 'release-1.0' },
      { name: 'release-1.1' },
    ]);
    expect(gitlab.apiRequests).toContain(
      '/api/v4/projects?membership=true&order_by=last_activity_at&search=bill&per_page=20&page=1',
    );
    expect(gitlab.apiRequests).toContain(
      '/api/v4/projects/platform%2Fbackend%2Fbilling/repository/branches?search=release&per_page=20&page=1',
    );
  });

  it("falls back to the portal's integrations token for a user without an account", async () => {
    const res = await userApi(backend, CAROL).get('/repositories/github/repos');

    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(20);
    expect(res.body.via).toEqual({
      kind: 'integration',
      host: new URL(github.baseUrl).host,
    });
  });

  it('says how to get a list where neither an account nor an integration serves', async () => {
    const res = await userApi(backend, CAROL).get('/repositories/gitlab/repos');

    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe(
      "No credentials for gitlab.com: connect your GitLab account on the Repositories page, or add an integrations.gitlab entry with a token for gitlab.com to app-config.yaml; or type the repository's URL",
    );
  });

  it('refuses pages out of range and a missing repository', async () => {
    const page = await alice().get('/repositories/github/repos?page=0');
    const noRepository = await alice().get('/repositories/github/branches');

    expect(page.status).toBe(400);
    expect(page.body.error.message).toBe(
      'page must be a whole number from 1 to 100; search by name to find a repository further down',
    );
    expect(noRepository.status).toBe(400);
    expect(noRepository.body.error.message).toBe(
      'Give the repository whose branches to list (repository=<URL>)',
    );
  });

  it('asks the user to reconnect when the host no longer takes the token', async () => {
    const standIn = await OAuthStandIn.start('github', 'dana');
    standIn.registerApplication('Iv1.portal-app', 'portal-app-secret');
    const dana = 'user:default/dana';
    try {
      // A second host: the portal's github.com integration is not for it.
      await connectAccount(backend, dana, standIn);
      standIn.revokeAll();

      const res = await userApi(backend, dana).get(
        '/repositories/github/repos',
      );

      expect(res.status).toBe(403);
      expect(res.body.error.message).toBe(
        `The GitHub account dana on ${
          new URL(standIn.baseUrl).host
        } was refused (GitHub answered 401 Unauthorized: Bad credentials); it has expired or was revoked: reconnect your GitHub account on the Repositories page`,
      );
    } finally {
      await standIn.stop();
    }
  });
});

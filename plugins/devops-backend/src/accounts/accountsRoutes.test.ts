import { TestDatabases } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { DevopsTestBackend } from '../router/__testUtils__/devopsTestBackend';
import {
  TEST_APP as APP,
  authorizeInBrowser,
  callback as callbackOf,
  startConnecting,
  userApi,
} from './__testUtils__/accountFlow';
import { OAuthStandIn } from './__testUtils__/OAuthStandIn';

jest.setTimeout(60_000);

/*
 * Connecting code host accounts through the running backend: the authorization code flow
 * with PKCE against an OAuth STAND-IN for GitHub and GitLab (no real host runs here; see
 * OAuthStandIn for the documented shapes it answers with).
 */

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'code host accounts on %s',
  databaseId => {
    let backend: DevopsTestBackend;
    let github: OAuthStandIn;
    let gitlab: OAuthStandIn;

    beforeAll(async () => {
      github = await OAuthStandIn.start('github', 'octocat');
      gitlab = await OAuthStandIn.start('gitlab', 'gitlab-user');
      github.registerApplication(APP.clientId, APP.clientSecret);
      gitlab.registerApplication(APP.clientId, APP.clientSecret);
      backend = await DevopsTestBackend.start(
        await databases.init(databaseId),
        {
          devops: { repositories: { allowedHosts: ['127.0.0.1'] } },
        },
      );
    });
    afterAll(async () => {
      await backend?.stop();
      await github?.stop();
      await gitlab?.stop();
    });
    beforeEach(() => {
      github.decision = 'approve';
    });

    const api = (user: string) => userApi(backend, user);
    const connect = (user: string, standIn: OAuthStandIn) =>
      startConnecting(backend, user, standIn);
    const callback = (location: URL) => callbackOf(backend, location);

    it('shows what to register: homepage, callback URL and GitLab scopes', async () => {
      const res = await api(ALICE).get('/repositories/gitlab/registration');

      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        homepageUrl: 'http://localhost:3000',
        callbackUrl: expect.stringMatching(
          /\/api\/devops\/repositories\/gitlab\/redirect$/,
        ),
        scopes: ['api', 'read_user'],
        defaultBaseUrl: 'https://gitlab.com',
      });
    });

    it('connects a GitHub account: PKCE, the code exchanged once, the tokens sealed at rest', async () => {
      const authorizeUrl = new URL(await connect(ALICE, github));
      expect(authorizeUrl.origin).toBe(github.baseUrl);
      expect(authorizeUrl.pathname).toBe('/login/oauth/authorize');
      expect(authorizeUrl.searchParams.get('code_challenge_method')).toBe(
        'S256',
      );
      expect(authorizeUrl.searchParams.get('scope')).toBe(
        'repo admin:repo_hook read:user',
      );
      const registration = (
        await api(ALICE).get('/repositories/github/registration')
      ).body;
      expect(authorizeUrl.searchParams.get('redirect_uri')).toBe(
        registration.callbackUrl,
      );

      const back = await authorizeInBrowser(authorizeUrl.href);
      const landing = await callback(back);

      expect(landing.href).toBe(
        'http://localhost:3000/devops/repositories?provider=github&connected=octocat',
      );
      const [exchange] = github.tokenRequests.slice(-1);
      expect(exchange.code_verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const accounts = (await api(ALICE).get('/repositories/accounts')).body
        .items;
      expect(accounts).toEqual([
        {
          id: expect.any(String),
          provider: 'github',
          baseUrl: github.baseUrl,
          clientId: APP.clientId,
          login: 'octocat',
          connected: true,
        },
      ]);
      const [row] = await backend
        .knex('code_host_accounts')
        .where({ user_ref: ALICE });
      expect(row.secrets).toMatch(/^v1:/);
      expect(row.secrets).not.toContain(APP.clientSecret);
      expect(row.secrets).not.toMatch(/gho_/);

      // The same callback again (a reload, or someone replaying it) is refused.
      const replay = await callback(back);
      expect(replay.searchParams.get('problem')).toBe(
        'This authorization was used already or has expired; connect again',
      );
      expect(
        github.tokenRequests.filter(
          r => r.code === back.searchParams.get('code'),
        ),
      ).toHaveLength(1);
    });

    it("lands back on the page with the host's reason when the user refuses", async () => {
      github.decision = 'deny';
      const landing = await callback(
        await authorizeInBrowser(await connect(BOB, github)),
      );

      expect(landing.searchParams.get('provider')).toBe('github');
      expect(landing.searchParams.get('problem')).toBe(
        'GitHub did not authorize the application: The user has denied your application access.',
      );
      expect((await api(BOB).get('/repositories/accounts')).body.items).toEqual(
        [expect.objectContaining({ provider: 'github', connected: false })],
      );
    });

    it("names the host's reason when the code exchange fails, e.g. a wrong client secret", async () => {
      const res = await api(BOB).post('/repositories/gitlab/connect', {
        ...APP,
        clientSecret: 'not-the-secret',
        baseUrl: gitlab.baseUrl,
      });
      const landing = await callback(
        await authorizeInBrowser(res.body.authorizeUrl),
      );

      expect(landing.searchParams.get('problem')).toBe(
        'Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method.',
      );
    });

    it("keeps each user's accounts to that user, and logs out", async () => {
      await callback(await authorizeInBrowser(await connect(ALICE, gitlab)));

      const bobs = (await api(BOB).get('/repositories/accounts')).body.items;
      expect(bobs.map((a: { login?: string }) => a.login)).not.toContain(
        'gitlab-user',
      );
      expect((await api(ALICE).delete('/repositories/gitlab')).status).toBe(
        204,
      );
      const alices = (await api(ALICE).get('/repositories/accounts')).body
        .items;
      expect(alices.map((a: { provider: string }) => a.provider)).toEqual([
        'github',
      ]);
      const again = await api(ALICE).delete('/repositories/gitlab');
      expect(again.status).toBe(404);
      expect(again.body.error.message).toBe(
        'You have no GitLab account connected',
      );
    });

    it('keeps user-given hosts off internal addresses unless the admin allows them', async () => {
      const internal = await api(ALICE).post('/repositories/gitlab/connect', {
        ...APP,
        baseUrl: 'https://10.1.2.3',
      });
      expect(internal.status).toBe(400);
      expect(internal.body.error.message).toBe(
        '10.1.2.3 is an internal address (10.1.2.3); a portal admin who wants users to connect it lists it under devops.repositories.allowedHosts',
      );
      const plain = await api(ALICE).post('/repositories/gitlab/connect', {
        ...APP,
        baseUrl: 'http://gitlab.example.com',
      });
      expect(plain.status).toBe(400);
      expect(plain.body.error.message).toMatch(/is not an https:\/\/ address/);
      const empty = await api(ALICE).post('/repositories/github/connect', {
        clientId: ' ',
        clientSecret: 'x',
      });
      expect(empty.status).toBe(400);
      expect(empty.body.error.message).toMatch(/give the client ID/);
    });

    it('answers 403 when the policy denies managing accounts, and 400 for an unknown host kind', async () => {
      backend.setPermissions(name =>
        name === 'devops.account.manage'
          ? { result: AuthorizeResult.DENY }
          : { result: AuthorizeResult.ALLOW },
      );
      try {
        expect((await api(ALICE).get('/repositories/accounts')).status).toBe(
          403,
        );
        expect(
          (await api(ALICE).post('/repositories/github/connect', APP)).status,
        ).toBe(403);
      } finally {
        backend.resetPermissions();
      }
      const unknown = await api(ALICE).get(
        '/repositories/bitbucket/registration',
      );
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toBe(
        'Unknown code host "bitbucket"; use github or gitlab',
      );
    });
  },
);

describe('the code hosts’ callback under load from one address', () => {
  const sqlite = TestDatabases.create({ ids: ['SQLITE_3'] });
  let backend: DevopsTestBackend;

  beforeAll(async () => {
    backend = await DevopsTestBackend.start(await sqlite.init('SQLITE_3'), {
      devops: { limits: { callbackRequestsPerMinute: 3 } },
    });
  });
  afterAll(async () => {
    await backend?.stop();
  });

  it('answers 429 past devops.limits.callbackRequestsPerMinute, saying when to try again', async () => {
    const hit = () =>
      backend.http
        .get('/api/devops/repositories/github/redirect')
        .query({ state: 'not-a-state', code: 'x' });
    for (let i = 0; i < 3; i++) {
      // An unknown state lands back on the page with the reason: not limited yet.
      expect((await hit()).status).toBe(302);
    }
    const limited = await hit();
    expect(limited.status).toBe(429);
    expect(limited.body.error.message).toBe(
      "More than 3 requests a minute to the code hosts' callback from this address (devops.limits.callbackRequestsPerMinute); try again in a minute",
    );
    expect(limited.headers.ratelimit).toMatch(
      /limit=3, remaining=0, reset=\d+/,
    );
    // The rest of the API is not limited by it.
    expect((await backend.http.get('/api/devops/pipelines')).status).toBe(200);
  });
});

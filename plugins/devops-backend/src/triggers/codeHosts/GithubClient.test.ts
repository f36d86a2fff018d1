import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { GithubClient } from './GithubClient';
import { CodeHostStandIn } from './__testUtils__/CodeHostStandIn';

const REPOSITORY = 'https://github.com/acme/app';
const INGRESS = 'https://backstage.example.com/api/events/http/github';
const SHA = 'a'.repeat(40);

const ADMIN_TOKEN = 'ghp_admin';
const PUSH_TOKEN = 'ghp_push';
const READ_TOKEN = 'ghp_read';

describe('GithubClient', () => {
  let standIn: CodeHostStandIn;

  beforeEach(async () => {
    // Pages of two hooks, so that a handful of hooks is several pages.
    standIn = await CodeHostStandIn.start({
      githubBasePath: '/api/v3',
      maxPageSize: 2,
      hookLimit: 3,
    });
    standIn.addRepository('github', 'acme/app', {
      [ADMIN_TOKEN]: 'admin',
      [PUSH_TOKEN]: 'write',
      [READ_TOKEN]: 'read',
    });
  });

  afterEach(() => standIn.stop());

  const client = (token = ADMIN_TOKEN) =>
    GithubClient.fromConfig(
      new ConfigReader({
        integrations: {
          github: [
            { host: 'github.com', apiBaseUrl: standIn.githubApiBaseUrl, token },
          ],
        },
      }),
    );

  const spec = { url: INGRESS, secret: 'hook-secret' };
  const hookSettings = {
    active: true,
    events: ['push', 'pull_request'],
    config: {
      url: INGRESS,
      content_type: 'json',
      insecure_ssl: '0',
      secret: 'hook-secret',
    },
  };

  describe('ensureWebhook', () => {
    it('creates the hook once and finds it the second time', async () => {
      const first = await client().ensureWebhook(REPOSITORY, spec);
      const second = await client().ensureWebhook(REPOSITORY, spec);

      expect(first).toEqual({
        id: expect.stringMatching(/^\d+$/),
        created: true,
      });
      expect(second).toEqual({ id: first.id, created: false });
      expect(standIn.hooks('github', 'acme/app')).toEqual([
        {
          id: Number(first.id),
          url: INGRESS,
          events: ['push', 'pull_request'],
          secret: 'hook-secret',
          active: true,
          verifiesSsl: true,
          contentType: 'json',
        },
      ]);
      const create = standIn.requests.find(r => r.method === 'POST')!;
      expect(create.path).toBe('/api/v3/repos/acme/app/hooks');
      expect(create.body).toEqual({ name: 'web', ...hookSettings });
      expect(create.headers).toMatchObject({
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        authorization: `Bearer ${ADMIN_TOKEN}`,
      });
    });

    it('finds the hook on a later page of the Link header', async () => {
      for (let n = 1; n <= 4; n++) {
        standIn.addHook('github', 'acme/app', {
          url: `https://other.example.com/hook/${n}`,
        });
      }
      const id = standIn.addHook('github', 'acme/app', { url: INGRESS });

      await expect(client().ensureWebhook(REPOSITORY, spec)).resolves.toEqual({
        id: String(id),
        created: false,
      });
      expect(
        standIn.requests.filter(r => r.method === 'GET').map(r => r.path),
      ).toEqual([
        '/api/v3/repos/acme/app/hooks?per_page=100',
        '/api/v3/repos/acme/app/hooks?per_page=2&page=2',
        '/api/v3/repos/acme/app/hooks?per_page=2&page=3',
      ]);
      expect(standIn.hooks('github', 'acme/app')).toHaveLength(5);
    });

    it('brings the events and secret of an existing hook up to date', async () => {
      const id = standIn.addHook('github', 'acme/app', {
        url: INGRESS,
        events: ['push'],
        secret: 'old-secret',
      });

      await client().ensureWebhook(REPOSITORY, spec);

      const update = standIn.requests.find(r => r.method === 'PATCH')!;
      expect(update.path).toBe(`/api/v3/repos/acme/app/hooks/${id}`);
      expect(update.body).toEqual(hookSettings);
      expect(standIn.hooks('github', 'acme/app')).toEqual([
        expect.objectContaining({
          id,
          events: ['push', 'pull_request'],
          secret: 'hook-secret',
        }),
      ]);
    });

    it('names the webhook limit and where to free a slot', async () => {
      for (let n = 1; n <= 3; n++) {
        standIn.addHook('github', 'acme/app', {
          url: `https://other.example.com/hook/${n}`,
        });
      }

      const error = await failure(client().ensureWebhook(REPOSITORY, spec));

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        'acme/app has reached its webhook limit (GitHub answered 422 Unprocessable Entity: Validation Failed; The "push" event cannot have more than 3 hooks): remove an unused webhook on https://github.com/acme/app/settings/hooks, then turn event triggers on again',
      );
    });

    it('works against api.github.com-like roots as well', async () => {
      const root = await CodeHostStandIn.start();
      root.addRepository('github', 'acme/app', { [ADMIN_TOKEN]: 'admin' });
      const rootClient = GithubClient.fromConfig(
        new ConfigReader({
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: root.githubApiBaseUrl,
                token: ADMIN_TOKEN,
              },
            ],
          },
        }),
      );
      try {
        await rootClient.ensureWebhook(REPOSITORY, spec);
        expect(root.requests.map(r => `${r.method} ${r.path}`)).toEqual([
          'GET /repos/acme/app/hooks?per_page=100',
          'POST /repos/acme/app/hooks',
        ]);
      } finally {
        await root.stop();
      }
    });
  });

  describe('removeWebhook', () => {
    it('removes every hook with the ingress URL and leaves the others', async () => {
      const other = standIn.addHook('github', 'acme/app', {
        url: 'https://other.example.com/hook',
      });
      const ours = [
        standIn.addHook('github', 'acme/app', { url: INGRESS }),
        standIn.addHook('github', 'acme/app', { url: INGRESS }),
      ];

      await client().removeWebhook(REPOSITORY, INGRESS);

      expect(standIn.hooks('github', 'acme/app').map(hook => hook.id)).toEqual([
        other,
      ]);
      expect(
        standIn.requests.filter(r => r.method === 'DELETE').map(r => r.path),
      ).toEqual(ours.map(id => `/api/v3/repos/acme/app/hooks/${id}`));
    });

    it('is content when there is no such hook', async () => {
      await expect(
        client().removeWebhook(REPOSITORY, INGRESS),
      ).resolves.toBeUndefined();
      expect(standIn.requests.map(r => r.method)).toEqual(['GET']);
    });
  });

  describe('setCommitStatus', () => {
    it('posts the status with the fields GitHub names', async () => {
      await client(PUSH_TOKEN).setCommitStatus(REPOSITORY, SHA, {
        state: 'failure',
        targetUrl: 'https://backstage.example.com/devops/runs/42',
        context: 'devops/build',
        description: 'Step "test" failed',
      });

      const post = standIn.requests.at(-1)!;
      expect(`${post.method} ${post.path}`).toBe(
        `POST /api/v3/repos/acme/app/statuses/${SHA}`,
      );
      expect(post.body).toEqual({
        state: 'failure',
        target_url: 'https://backstage.example.com/devops/runs/42',
        description: 'Step "test" failed',
        context: 'devops/build',
      });
      expect(standIn.statuses('github', 'acme/app')).toEqual([
        {
          sha: SHA,
          state: 'failure',
          context: 'devops/build',
          targetUrl: 'https://backstage.example.com/devops/runs/42',
          description: 'Step "test" failed',
        },
      ]);
    });

    it('shortens descriptions to the 140 characters GitHub accepts', async () => {
      await client().setCommitStatus(REPOSITORY, SHA, {
        state: 'error',
        targetUrl: 'https://backstage.example.com/devops/runs/42',
        context: 'devops/build',
        description: 'x'.repeat(200),
      });

      expect(standIn.statuses('github', 'acme/app')[0].description).toBe(
        `${'x'.repeat(139)}…`,
      );
    });

    it('says what GitHub refused about the commit', async () => {
      const error = await failure(
        client().setCommitStatus(REPOSITORY, 'not-a-commit', {
          state: 'pending',
          targetUrl: 'https://backstage.example.com/devops/runs/42',
          context: 'devops/build',
          description: 'Running',
        }),
      );

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain(
        'GitHub answered 422 Unprocessable Entity: No commit found for SHA: not-a-commit',
      );
    });

    it('names the scope a token without push rights lacks', async () => {
      const error = await failure(
        client(READ_TOKEN).setCommitStatus(REPOSITORY, SHA, {
          state: 'success',
          targetUrl: 'https://backstage.example.com/devops/runs/42',
          context: 'devops/build',
          description: 'Passed',
        }),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'The token of integrations.github for github.com may not set commit statuses on acme/app (GitHub answered 404 Not Found: Not Found): it needs the repo:status scope (classic token) or "Commit statuses: read and write" (fine-grained token or GitHub App); also check that acme/app exists on github.com',
      );
    });
  });

  describe('with a connected account', () => {
    const account = (token: string) => ({
      token,
      login: 'octocat',
      baseUrl: 'https://github.com',
      apiBaseUrl: standIn.githubApiBaseUrl,
    });
    // No integrations entry with a token: the account's token is all there is.
    const accountClient = () => GithubClient.fromConfig(new ConfigReader({}));

    it("manages the hook with the account's token", async () => {
      await accountClient().ensureWebhook(
        REPOSITORY,
        spec,
        account(ADMIN_TOKEN),
      );

      expect(standIn.hooks('github', 'acme/app')).toHaveLength(1);
      expect(standIn.requests.at(-1)!.headers.authorization).toBe(
        `Bearer ${ADMIN_TOKEN}`,
      );
    });

    it('names the account and the scope when its token lacks the right', async () => {
      const error = await failure(
        accountClient().ensureWebhook(REPOSITORY, spec, account(READ_TOKEN)),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toMatch(
        /^The GitHub account octocat on github\.com may not manage the webhooks of acme\/app \(GitHub answered 404 Not Found: Not Found\): it needs the admin:repo_hook scope/,
      );
    });
  });

  describe('credentials', () => {
    it.each([
      [
        'an entry without a token',
        () => [{ host: 'github.com', apiBaseUrl: standIn.githubApiBaseUrl }],
      ],
      ['no entry at all', () => []],
    ])(
      'asks for an integrations.github entry when there is %s',
      async (_, github) => {
        const noToken = GithubClient.fromConfig(
          new ConfigReader({ integrations: { github: github() } }),
        );

        const error = await failure(noToken.ensureWebhook(REPOSITORY, spec));

        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toBe(
          'No credentials for github.com: add an integrations.github entry with a token (or a GitHub App) for github.com to app-config.yaml, or register the webhook by hand',
        );
        expect(standIn.requests).toEqual([]);
      },
    );

    it('asks for an entry for a host the config does not name', async () => {
      const error = await failure(
        client().ensureWebhook('git@ghe.example.com:acme/app.git', spec),
      );

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'No credentials for ghe.example.com: add an integrations.github entry with a token (or a GitHub App) for ghe.example.com to app-config.yaml, or register the webhook by hand',
      );
    });

    it('names the rights a token without admin on the repository lacks', async () => {
      const error = await failure(
        client(PUSH_TOKEN).ensureWebhook(REPOSITORY, spec),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'The token of integrations.github for github.com may not manage the webhooks of acme/app (GitHub answered 404 Not Found: Not Found): it needs the admin:repo_hook scope (classic token) or "Webhooks: read and write" (fine-grained token or GitHub App); also check that acme/app exists on github.com',
      );
    });

    it('asks to replace a revoked token, without showing it', async () => {
      const error = await failure(
        client('ghp_revoked').removeWebhook(REPOSITORY, INGRESS),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'The token of integrations.github for github.com was refused (GitHub answered 401 Unauthorized: Bad credentials); it has expired or was revoked: replace it in app-config.yaml',
      );
      expect(error.message).not.toContain('ghp_revoked');
    });
  });

  describe('outages', () => {
    it('names the host and the URL when connections are dropped', async () => {
      standIn.fail('closeConnections');

      const error = await failure(client().ensureWebhook(REPOSITORY, spec));

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^GitHub at github\.com could not be reached: GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/acme\/app\/hooks\?per_page=100 failed \(.+\); check that http:\/\/127\.0\.0\.1:\d+ is up and that the backend can reach it, then try again$/,
      );
      expect(error.message).not.toContain(ADMIN_TOKEN);
    });

    it('names the host when nothing listens any more', async () => {
      const apiBaseUrl = standIn.githubApiBaseUrl;
      const stopped = client();
      await standIn.stop();
      standIn = await CodeHostStandIn.start();

      const error = await failure(
        stopped.setCommitStatus(REPOSITORY, SHA, {
          state: 'success',
          targetUrl: 'https://backstage.example.com/devops/runs/42',
          context: 'devops/build',
          description: 'Passed',
        }),
      );

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain(
        `GitHub at github.com could not be reached: POST ${apiBaseUrl}/repos/acme/app/statuses/${SHA} failed (`,
      );
      expect(error.message).toContain('ECONNREFUSED');
    });

    it('tells a failing host from a refusal', async () => {
      standIn.fail({ answer: 502 });

      const error = await failure(client().removeWebhook(REPOSITORY, INGRESS));

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^GitHub at github\.com failed to answer GET http:\/\/127\.0\.0\.1:\d+\/api\/v3\/repos\/acme\/app\/hooks\?per_page=100 \(GitHub answered 502 Bad Gateway: The stand-in was told to fail\); try again later$/,
      );
    });
  });
});

/** The error a call fails with; a call that succeeds fails the test. */
async function failure(call: Promise<unknown>): Promise<Error> {
  try {
    await call;
  } catch (error) {
    return error as Error;
  }
  throw new Error('Expected the call to fail, but it succeeded');
}

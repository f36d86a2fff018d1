import { ConfigReader } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { GitlabClient } from './GitlabClient';
import { CodeHostStandIn } from './__testUtils__/CodeHostStandIn';
import { CommitState } from './types';

const REPOSITORY = 'https://gitlab.example.com/group/sub/project';
const PROJECT_API = '/api/v4/projects/group%2Fsub%2Fproject';
const INGRESS = 'https://backstage.example.com/api/events/http/gitlab';
const SHA = 'b'.repeat(40);

const MAINTAINER_TOKEN = 'glpat-maintainer';
const DEVELOPER_TOKEN = 'glpat-developer';
const REPORTER_TOKEN = 'glpat-reporter';
const OUTSIDER_TOKEN = 'glpat-outsider';

describe('GitlabClient', () => {
  let standIn: CodeHostStandIn;

  beforeEach(async () => {
    // Pages of two hooks, so that a handful of hooks is several pages.
    standIn = await CodeHostStandIn.start({ maxPageSize: 2, hookLimit: 3 });
    standIn.addRepository('gitlab', 'group/sub/project', {
      [MAINTAINER_TOKEN]: 'admin',
      [DEVELOPER_TOKEN]: 'write',
      [REPORTER_TOKEN]: 'read',
    });
    standIn.addRepository('gitlab', 'elsewhere/project', {
      [OUTSIDER_TOKEN]: 'admin',
    });
  });

  afterEach(() => standIn.stop());

  const client = (token = MAINTAINER_TOKEN) =>
    GitlabClient.fromConfig(
      new ConfigReader({
        integrations: {
          gitlab: [
            {
              host: 'gitlab.example.com',
              apiBaseUrl: standIn.gitlabApiBaseUrl,
              token,
            },
          ],
        },
      }),
    );

  const spec = { url: INGRESS, secret: 'hook-token' };
  const hookSettings = {
    url: INGRESS,
    token: 'hook-token',
    push_events: true,
    tag_push_events: true,
    merge_requests_events: true,
    enable_ssl_verification: true,
  };
  const status = {
    targetUrl: 'https://backstage.example.com/devops/runs/7',
    context: 'devops/deploy',
    description: 'Deployed to staging',
  };

  describe('ensureWebhook', () => {
    it('creates the hook once and finds it the second time', async () => {
      const first = await client().ensureWebhook(REPOSITORY, spec);
      const second = await client().ensureWebhook(
        'git@gitlab.example.com:group/sub/project.git',
        spec,
      );

      expect(first).toEqual({
        id: expect.stringMatching(/^\d+$/),
        created: true,
      });
      expect(second).toEqual({ id: first.id, created: false });
      expect(standIn.hooks('gitlab', 'group/sub/project')).toEqual([
        {
          id: Number(first.id),
          url: INGRESS,
          events: ['push_events', 'tag_push_events', 'merge_requests_events'],
          secret: 'hook-token',
          active: true,
          verifiesSsl: true,
        },
      ]);
      const create = standIn.requests.find(r => r.method === 'POST')!;
      expect(create.path).toBe(`${PROJECT_API}/hooks`);
      expect(create.body).toEqual(hookSettings);
      expect(create.headers['private-token']).toBe(MAINTAINER_TOKEN);
    });

    it('finds the hook on a later page of x-next-page', async () => {
      for (let n = 1; n <= 4; n++) {
        standIn.addHook('gitlab', 'group/sub/project', {
          url: `https://other.example.com/hook/${n}`,
        });
      }
      const id = standIn.addHook('gitlab', 'group/sub/project', {
        url: INGRESS,
      });

      await expect(client().ensureWebhook(REPOSITORY, spec)).resolves.toEqual({
        id: String(id),
        created: false,
      });
      expect(
        standIn.requests.filter(r => r.method === 'GET').map(r => r.path),
      ).toEqual(
        [1, 2, 3].map(page => `${PROJECT_API}/hooks?per_page=100&page=${page}`),
      );
    });

    it('brings the events and token of an existing hook up to date', async () => {
      const id = standIn.addHook('gitlab', 'group/sub/project', {
        url: INGRESS,
        events: ['push_events'],
        secret: 'old-token',
      });

      await client().ensureWebhook(REPOSITORY, spec);

      const update = standIn.requests.find(r => r.method === 'PUT')!;
      expect(update.path).toBe(`${PROJECT_API}/hooks/${id}`);
      expect(update.body).toEqual(hookSettings);
      expect(standIn.hooks('gitlab', 'group/sub/project')).toEqual([
        expect.objectContaining({
          id,
          events: ['push_events', 'tag_push_events', 'merge_requests_events'],
          secret: 'hook-token',
        }),
      ]);
    });

    it('names the webhook limit and where to free a slot', async () => {
      for (let n = 1; n <= 3; n++) {
        standIn.addHook('gitlab', 'group/sub/project', {
          url: `https://other.example.com/hook/${n}`,
        });
      }

      const error = await failure(client().ensureWebhook(REPOSITORY, spec));

      expect(error).toBeInstanceOf(ConflictError);
      expect(error.message).toBe(
        'group/sub/project has reached its webhook limit (GitLab answered 422 Unprocessable Entity: Maximum number of project hooks (3) exceeded): remove an unused webhook on https://gitlab.example.com/group/sub/project/-/hooks, then turn event triggers on again',
      );
    });

    it('leaves the path of a GitLab served under a path out of the project', async () => {
      standIn.addRepository('gitlab', 'group/project', {
        [MAINTAINER_TOKEN]: 'admin',
      });
      const underPath = GitlabClient.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'example.com',
                baseUrl: 'https://example.com/gitlab',
                apiBaseUrl: standIn.gitlabApiBaseUrl,
                token: MAINTAINER_TOKEN,
              },
            ],
          },
        }),
      );

      await underPath.ensureWebhook(
        'https://example.com/gitlab/group/project',
        spec,
      );

      expect(standIn.hooks('gitlab', 'group/project')).toHaveLength(1);
    });
  });

  describe('removeWebhook', () => {
    it('removes every hook with the ingress URL and leaves the others', async () => {
      const other = standIn.addHook('gitlab', 'group/sub/project', {
        url: 'https://other.example.com/hook',
      });
      const ours = [
        standIn.addHook('gitlab', 'group/sub/project', { url: INGRESS }),
        standIn.addHook('gitlab', 'group/sub/project', { url: INGRESS }),
      ];

      await client().removeWebhook(REPOSITORY, INGRESS);

      expect(
        standIn.hooks('gitlab', 'group/sub/project').map(hook => hook.id),
      ).toEqual([other]);
      expect(
        standIn.requests.filter(r => r.method === 'DELETE').map(r => r.path),
      ).toEqual(ours.map(id => `${PROJECT_API}/hooks/${id}`));
    });

    it('is content when there is no such hook', async () => {
      await expect(
        client().removeWebhook(REPOSITORY, INGRESS),
      ).resolves.toBeUndefined();
      expect(standIn.requests.map(r => r.method)).toEqual(['GET']);
    });
  });

  describe('setCommitStatus', () => {
    it.each<[CommitState, string]>([
      ['pending', 'pending'],
      ['success', 'success'],
      ['failure', 'failed'],
      ['error', 'failed'],
    ])("posts %s as GitLab's %s", async (state, gitlabState) => {
      await client(DEVELOPER_TOKEN).setCommitStatus(REPOSITORY, SHA, {
        state,
        ...status,
      });

      const post = standIn.requests.at(-1)!;
      expect(`${post.method} ${post.path}`).toBe(
        `POST ${PROJECT_API}/statuses/${SHA}`,
      );
      expect(post.body).toEqual({
        state: gitlabState,
        name: 'devops/deploy',
        target_url: 'https://backstage.example.com/devops/runs/7',
        description: 'Deployed to staging',
      });
      expect(standIn.statuses('gitlab', 'group/sub/project')).toEqual([
        {
          sha: SHA,
          state: gitlabState,
          context: 'devops/deploy',
          targetUrl: 'https://backstage.example.com/devops/runs/7',
          description: 'Deployed to staging',
        },
      ]);
    });

    it('takes a repeated state, which GitLab refuses to post twice, as done', async () => {
      await client().setCommitStatus(REPOSITORY, SHA, {
        state: 'pending',
        ...status,
      });
      await client().setCommitStatus(REPOSITORY, SHA, {
        state: 'pending',
        ...status,
      });

      expect(standIn.requests.filter(r => r.method === 'POST')).toHaveLength(2);
      expect(standIn.statuses('gitlab', 'group/sub/project')).toHaveLength(1);
    });

    it('names the role a Reporter lacks', async () => {
      const error = await failure(
        client(REPORTER_TOKEN).setCommitStatus(REPOSITORY, SHA, {
          state: 'success',
          ...status,
        }),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'The token of integrations.gitlab for gitlab.example.com may not set commit statuses on group/sub/project (GitLab answered 403 Forbidden: 403 Forbidden): it needs at least the Developer role on the project and the api scope; also check that group/sub/project exists on gitlab.example.com',
      );
    });
  });

  describe('with a connected account', () => {
    const account = (token: string) => ({
      token,
      login: 'jane',
      baseUrl: 'https://gitlab.example.com',
      apiBaseUrl: standIn.gitlabApiBaseUrl,
    });
    // No integrations entry at all: the account's token is all there is.
    const accountClient = () => GitlabClient.fromConfig(new ConfigReader({}));

    it("calls the API with the account's token as a Bearer token", async () => {
      await accountClient().setCommitStatus(
        REPOSITORY,
        SHA,
        { state: 'success', ...status },
        account(DEVELOPER_TOKEN),
      );

      const post = standIn.requests.at(-1)!;
      expect(post.path).toBe(`${PROJECT_API}/statuses/${SHA}`);
      expect(post.headers.authorization).toBe(`Bearer ${DEVELOPER_TOKEN}`);
      expect(post.headers['private-token']).toBeUndefined();
    });

    it('asks the user to reconnect a token the host refuses', async () => {
      const error = await failure(
        accountClient().ensureWebhook(
          REPOSITORY,
          spec,
          account('gloa_revoked'),
        ),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'The GitLab account jane on gitlab.example.com was refused (GitLab answered 401 Unauthorized: 401 Unauthorized); it has expired or was revoked: reconnect your GitLab account on the Repositories page',
      );
    });
  });

  describe('credentials', () => {
    it('asks for an integrations.gitlab entry when there is no token', async () => {
      const noToken = GitlabClient.fromConfig(
        new ConfigReader({
          integrations: {
            gitlab: [
              {
                host: 'gitlab.example.com',
                apiBaseUrl: standIn.gitlabApiBaseUrl,
              },
            ],
          },
        }),
      );

      const error = await failure(noToken.ensureWebhook(REPOSITORY, spec));

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'No credentials for gitlab.example.com: add an integrations.gitlab entry with a token for gitlab.example.com to app-config.yaml, or register the webhook by hand',
      );
      expect(standIn.requests).toEqual([]);
    });

    it('asks for an entry for gitlab.com, which Backstage knows without a token', async () => {
      const error = await failure(
        client().setCommitStatus('https://gitlab.com/acme/app', SHA, {
          state: 'success',
          ...status,
        }),
      );

      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toBe(
        'No credentials for gitlab.com: add an integrations.gitlab entry with a token for gitlab.com to app-config.yaml so that runs can report commit statuses',
      );
    });

    it.each([
      [DEVELOPER_TOKEN, '403 Forbidden: 403 Forbidden'],
      [OUTSIDER_TOKEN, '404 Not Found: 404 Project Not Found'],
    ])('names the rights %s lacks on hooks', async (token, answer) => {
      const error = await failure(
        client(token).ensureWebhook(REPOSITORY, spec),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        `The token of integrations.gitlab for gitlab.example.com may not manage the webhooks of group/sub/project (GitLab answered ${answer}): it needs the Maintainer role on the project and the api scope; also check that group/sub/project exists on gitlab.example.com`,
      );
    });

    it('asks to replace a revoked token, without showing it', async () => {
      const error = await failure(
        client('glpat-revoked').removeWebhook(REPOSITORY, INGRESS),
      );

      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe(
        'The token of integrations.gitlab for gitlab.example.com was refused (GitLab answered 401 Unauthorized: 401 Unauthorized); it has expired or was revoked: replace it in app-config.yaml',
      );
      expect(error.message).not.toContain('glpat-revoked');
    });
  });

  describe('outages', () => {
    it('names the host and the URL when connections are dropped', async () => {
      standIn.fail('closeConnections');

      const error = await failure(
        client().setCommitStatus(REPOSITORY, SHA, {
          state: 'success',
          ...status,
        }),
      );

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toMatch(
        /^GitLab at gitlab\.example\.com could not be reached: POST http:\/\/127\.0\.0\.1:\d+\/api\/v4\/projects\/group%2Fsub%2Fproject\/statuses\/b{40} failed \(.+\); check that http:\/\/127\.0\.0\.1:\d+ is up and that the backend can reach it, then try again$/,
      );
      expect(error.message).not.toContain(MAINTAINER_TOKEN);
    });

    it('tells a failing host from a refusal', async () => {
      standIn.fail({ answer: 500 });

      const error = await failure(client().ensureWebhook(REPOSITORY, spec));

      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toContain(
        'GitLab answered 500 Internal Server Error: The stand-in was told to fail); try again later',
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

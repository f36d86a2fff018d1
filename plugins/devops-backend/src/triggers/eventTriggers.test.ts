import {
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type {
  Run,
  TriggerActivity,
} from '@devops-pipelines/plugin-devops-common';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import webhookExamples from '@octokit/webhooks-examples';
import { createHmac, randomUUID } from 'crypto';
import knexFactory, { Knex } from 'knex';
import request from 'supertest';
import devopsPlugin from '../index';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';
import { CodeHostStandIn } from './codeHosts/__testUtils__/CodeHostStandIn';
import gitlabPush from './events/__fixtures__/gitlab/push.json';

jest.setTimeout(180_000);

/*
 * Webhooks delivered over HTTP to a running backend: the events backend's HTTP ingress,
 * its GitHub and GitLab modules checking signatures and tokens, and the devops plugin
 * subscribed to their topics. Payloads are GitHub's published examples
 * (@octokit/webhooks-examples) and GitLab's documented examples; the code host's REST API
 * (hooks, commit statuses) is a stand-in, since no GitHub or GitLab runs here.
 */

const GITHUB_SECRET = 'github-webhook-secret';
const GITLAB_SECRET = 'gitlab-webhook-token';
const ADMIN_TOKEN = 'ghp_admin';
const PUBLIC_URL = 'https://backstage.example.com';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

function githubExample(event: string, matches: (payload: any) => boolean): any {
  const definition = webhookExamples.find(d => d.name === event);
  const example = definition?.examples.find(matches);
  if (!example)
    throw new Error(`@octokit/webhooks-examples has no such ${event} example`);
  return structuredClone(example);
}

let repositoryCount = 0;

/** A repository of its own for each test, on the one backend the tests share. */
const newRepository = () => `Codertocat/Hello-World-${++repositoryCount}`;

/** An example payload moved to another repository: only its repository URLs change. */
function onRepository(payload: any, repository: string) {
  const { repository: repo } = payload;
  repo.full_name = repository;
  repo.html_url = `https://github.com/${repository}`;
  repo.clone_url = `https://github.com/${repository}.git`;
  repo.ssh_url = `git@github.com:${repository}.git`;
  repo.git_url = `git://github.com/${repository}.git`;
  return payload;
}

/** GitHub's push of a new commit to master in Codertocat/Hello-World. */
const branchPush = (repository: string) =>
  onRepository(
    githubExample('push', p => p.ref === 'refs/heads/master'),
    repository,
  );
const tagPush = (repository: string) =>
  onRepository(
    githubExample('push', p => p.ref === 'refs/tags/simple-tag' && !p.deleted),
    repository,
  );

async function start(knex: Knex) {
  const standIn = await CodeHostStandIn.start({ githubBasePath: '/api/v3' });
  // The events backend keeps its own tables; on SQLite it keeps its bus in memory.
  const eventsDb = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const database = createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    factory: ({ plugin }) => ({
      getClient: async () => (plugin.getId() === 'devops' ? knex : eventsDb),
    }),
  });
  const backend = await startTestBackend({
    features: [
      devopsPlugin,
      import('@backstage/plugin-events-backend'),
      import('@backstage/plugin-events-backend-module-github'),
      import('@backstage/plugin-events-backend-module-gitlab'),
      database,
      // The real events service: the test backend's mock delivers only within a plugin.
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: PUBLIC_URL, listen: { port: 0 } },
          app: { baseUrl: 'https://portal.example.com' },
          integrations: {
            github: [
              {
                host: 'github.com',
                apiBaseUrl: standIn.githubApiBaseUrl,
                token: ADMIN_TOKEN,
              },
            ],
            // GitLab's documented examples come from the host example.com.
            gitlab: [
              {
                host: 'example.com',
                apiBaseUrl: standIn.gitlabApiBaseUrl,
                token: ADMIN_TOKEN,
              },
            ],
          },
          events: {
            // One backend process: deliveries go plugin to plugin in memory.
            useEventBus: 'never',
            modules: {
              github: { webhookSecret: GITHUB_SECRET },
              gitlab: { webhookSecret: GITLAB_SECRET },
            },
          },
          devops: { encryptionKey: 'event-test-key' },
        },
      }),
    ],
  });
  const http = request(backend.server);
  return {
    standIn,
    http,
    async stop() {
      await backend.stop();
      await eventsDb.destroy();
      await standIn.stop();
    },
    /** A repository the portal's token administers, on the stand-in. */
    repository() {
      const repository = newRepository();
      standIn.addRepository('github', repository, { [ADMIN_TOKEN]: 'admin' });
      return repository;
    },
    async pipelineOn(
      repository: string,
      events: { push?: boolean; merge?: boolean; tag?: boolean },
      source: { provider: 'github' | 'gitlab'; repository: string } = {
        provider: 'github',
        repository: `git@github.com:${repository}.git`,
      },
    ) {
      const document = pipelineDocument({
        triggers: {
          events: { push: false, merge: false, tag: false, ...events },
        },
      });
      document.spec.source = { ...source, branch: 'master' };
      const res = await http.post('/api/devops/pipelines').send(document);
      expect(res.status).toBe(201);
      return res.body.status.id as string;
    },
    deliverGithub(
      event: string,
      payload: unknown,
      options: { deliveryId?: string; secret?: string } = {},
    ) {
      const body = JSON.stringify(payload);
      const signature = createHmac('sha256', options.secret ?? GITHUB_SECRET)
        .update(body)
        .digest('hex');
      return http
        .post('/api/events/http/github')
        .set('Content-Type', 'application/json')
        .set('X-GitHub-Event', event)
        .set('X-GitHub-Delivery', options.deliveryId ?? randomUUID())
        .set('X-Hub-Signature-256', `sha256=${signature}`)
        .send(body);
    },
    deliverGitlab(payload: unknown, token = GITLAB_SECRET) {
      return http
        .post('/api/events/http/gitlab')
        .set('Content-Type', 'application/json')
        .set('X-Gitlab-Event', 'Push Hook')
        .set('X-Gitlab-Event-UUID', randomUUID())
        .set('X-Gitlab-Token', token)
        .send(JSON.stringify(payload));
    },
    async runs(pipelineId: string): Promise<Run[]> {
      const res = await http.get(`/api/devops/pipelines/${pipelineId}/runs`);
      return res.body.items;
    },
    async activity(pipelineId: string): Promise<TriggerActivity[]> {
      const res = await http.get(
        `/api/devops/pipelines/${pipelineId}/triggers`,
      );
      return res.body.activity;
    },
  };
}

type Running = Awaited<ReturnType<typeof start>>;

async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`still not there: ${JSON.stringify(value)}`);
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

describe.each(databases.eachSupportedId())(
  'event triggers on %s',
  databaseId => {
    // One backend for the file: loading the events modules takes long under jest.
    let running: Running;
    let repository: string;

    beforeAll(async () => {
      running = await start(await databases.init(databaseId));
    });
    afterAll(() => running.stop());
    beforeEach(() => {
      repository = running.repository();
    });

    it('registers one webhook for the repository when event triggers are turned on', async () => {
      await running.pipelineOn(repository, { push: true });
      await running.pipelineOn(repository, { tag: true });

      const hooks = running.standIn.hooks('github', repository);
      expect(hooks).toHaveLength(1);
      expect(hooks[0]).toMatchObject({
        // The test backend listens on a port of its own, which it makes the base URL.
        url: expect.stringMatching(
          /^http:\/\/localhost:\d+\/api\/events\/http\/github$/,
        ),
        events: ['push', 'pull_request'],
        secret: GITHUB_SECRET,
      });
    });

    it('starts a run on a signed push to the branch, once per delivery', async () => {
      const pipelineId = await running.pipelineOn(repository, { push: true });
      const push = branchPush(repository);
      const deliveryId = randomUUID();

      expect(
        (await running.deliverGithub('push', push, { deliveryId })).status,
      ).toBe(202);
      const [run] = await eventually(
        () => running.runs(pipelineId),
        runs => runs.length === 1,
      );
      expect(run.trigger).toEqual({
        type: 'push',
        event: `push ${push.after.slice(0, 8)} to master`,
      });
      expect(run.commit).toBe(push.after);
      expect(run.branch).toBe('master');

      // GitHub sends a delivery again when it saw no answer in time.
      expect(
        (await running.deliverGithub('push', push, { deliveryId })).status,
      ).toBe(202);
      const activity = await eventually(
        () => running.activity(pipelineId),
        entries => entries.length === 2,
      );
      expect(activity.map(a => [a.outcome, a.run?.buildId])).toEqual([
        ['duplicate', undefined],
        ['started', 1],
      ]);
      expect(await running.runs(pipelineId)).toHaveLength(1);
    });

    it('refuses a delivery with a wrong signature and starts nothing', async () => {
      const pipelineId = await running.pipelineOn(repository, { push: true });

      const res = await running.deliverGithub('push', branchPush(repository), {
        secret: 'guessed',
      });

      expect(res.status).toBe(403);
      await new Promise(resolve => setTimeout(resolve, 300));
      expect(await running.runs(pipelineId)).toEqual([]);
      expect(await running.activity(pipelineId)).toEqual([]);
    });

    it('starts tag runs with GIT_TAG on the tag, and says why other pipelines did not run', async () => {
      const tagged = await running.pipelineOn(repository, { tag: true });
      const pushOnly = await running.pipelineOn(repository, { push: true });
      const tag = tagPush(repository);

      expect((await running.deliverGithub('push', tag)).status).toBe(202);

      const [run] = await eventually(
        () => running.runs(tagged),
        runs => runs.length === 1,
      );
      expect(run.trigger).toEqual({
        type: 'tag',
        event: 'tag simple-tag',
        tag: 'simple-tag',
      });
      const [skipped] = await eventually(
        () => running.activity(pushOnly),
        a => a.length === 1,
      );
      expect(skipped).toMatchObject({
        source: 'github',
        summary: 'tag simple-tag',
        outcome: 'skipped',
        reason: 'tag events are not selected',
      });
    });

    it('reports the run back to the commit: pending, then its end, linking to the run page', async () => {
      const pipelineId = await running.pipelineOn(repository, { push: true });
      const push = branchPush(repository);

      await running.deliverGithub('push', push);

      const [run] = await eventually(
        () => running.runs(pipelineId),
        runs => runs.length === 1,
      );
      const statuses = await eventually(
        async () => running.standIn.statuses('github', repository),
        list => list.length === 2,
      );
      expect(statuses.map(s => [s.sha, s.state, s.targetUrl])).toEqual([
        [
          push.after,
          'pending',
          `https://portal.example.com/devops/runs/${run.id}`,
        ],
        [
          push.after,
          expect.stringMatching(/^(failure|error)$/),
          `https://portal.example.com/devops/runs/${run.id}`,
        ],
      ]);
    });

    it('starts on a GitLab push with the webhook token, and refuses a wrong token', async () => {
      running.standIn.addRepository('gitlab', 'mike/diaspora', {
        [ADMIN_TOKEN]: 'admin',
      });
      const pipelineId = await running.pipelineOn(
        'mike/diaspora',
        { push: true },
        {
          provider: 'gitlab',
          repository: 'https://example.com/mike/diaspora.git',
        },
      );
      expect(running.standIn.hooks('gitlab', 'mike/diaspora')).toMatchObject([
        {
          url: expect.stringMatching(/\/api\/events\/http\/gitlab$/),
          secret: GITLAB_SECRET,
        },
      ]);

      expect((await running.deliverGitlab(gitlabPush, 'guessed')).status).toBe(
        403,
      );
      expect((await running.deliverGitlab(gitlabPush)).status).toBe(202);

      const [run] = await eventually(
        () => running.runs(pipelineId),
        runs => runs.length === 1,
      );
      expect(run.trigger).toEqual({
        type: 'push',
        event: `push ${gitlabPush.after.slice(0, 8)} to master`,
      });
      expect(run.commit).toBe(gitlabPush.after);
      expect(await running.runs(pipelineId)).toHaveLength(1);
    });

    it('removes the webhook when the last pipeline on the repository turns event triggers off', async () => {
      const first = await running.pipelineOn(repository, { push: true });
      const second = await running.pipelineOn(repository, { merge: true });

      expect(
        (await running.http.delete(`/api/devops/pipelines/${first}`)).status,
      ).toBe(204);
      expect(running.standIn.hooks('github', repository)).toHaveLength(1);

      const off = await running.http
        .put(`/api/devops/pipelines/${second}/triggers`)
        .send({ events: { push: false, merge: false, tag: false } });
      expect(off.status).toBe(200);
      expect(running.standIn.hooks('github', repository)).toEqual([]);
    });

    it('refuses event triggers the portal cannot register, naming the fix, and saves nothing', async () => {
      const document = pipelineDocument({
        triggers: { events: { push: true, merge: false, tag: false } },
      });
      document.spec.source = {
        provider: 'github',
        repository: 'https://github.com/someone/else',
        branch: 'main',
      };

      const res = await running.http
        .post('/api/devops/pipelines')
        .send(document);

      expect(res.status).toBe(403);
      expect(res.body.error.message).toMatch(
        /may not manage the webhooks of someone\/else/,
      );
      const list = await running.http
        .get('/api/devops/pipelines')
        .query({ entityRef: document.metadata.entityRef });
      expect(list.body.totalCount).toBe(0);

      const manual = await running.http
        .post('/api/devops/pipelines?webhook=manual')
        .send(document);
      expect(manual.status).toBe(201);
    });
  },
);

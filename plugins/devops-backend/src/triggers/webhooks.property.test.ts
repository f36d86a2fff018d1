import {
  LoggerService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import {
  ExtendedHttpServer,
  rootHttpRouterServiceFactory,
} from '@backstage/backend-defaults/rootHttpRouter';
import {
  ServiceFactoryTester,
  TestDatabases,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import webhookExamples from '@octokit/webhooks-examples';
import { createHmac, randomUUID } from 'crypto';
import type { Express } from 'express';
import fc from 'fast-check';
import http from 'http';
import knexFactory, { Knex } from 'knex';
import devopsPlugin from '../index';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';
import { EVENT_TOPICS, parseDelivery } from './events/EventTriggerService';
import gitlabMergeRequest from './events/__fixtures__/gitlab/merge_request.json';
import gitlabPush from './events/__fixtures__/gitlab/push.json';
import gitlabTagPush from './events/__fixtures__/gitlab/tag_push.json';
import { devopsWebhookGuardModule } from './webhooks/webhookGuardModule';

jest.setTimeout(300_000);

/*
 * Webhook deliveries are harmless whatever they hold: thousands of generated deliveries to
 * the events backend's GitHub and GitLab ingresses (its modules checking signatures and
 * tokens, the devops plugin subscribed to their topics), on SQLite and PostgreSQL. None is
 * a 5xx; one not signed with the secret stores nothing; one signed but malformed starts
 * its run or stores nothing, never half of it, and logs no failure. And the rate limit an
 * adopter gives the events plugin (backend.rateLimit.plugin.events) holds per address.
 */

/** Inputs tried per property; fast-check shrinks a failing one to its smallest form. */
const RUNS = 1000;

const GITHUB_SECRET = 'github-webhook-secret';
const GITLAB_SECRET = 'gitlab-webhook-token';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const hmac = (secret: string, text: string, algorithm = 'sha256') =>
  createHmac(algorithm, secret).update(text).digest('hex');

function githubExample(event: string, matches: (payload: any) => boolean): any {
  const example = webhookExamples
    .find(definition => definition.name === event)
    ?.examples.find(matches);
  if (!example)
    throw new Error(`@octokit/webhooks-examples has no such ${event} example`);
  return structuredClone(example);
}

type Example = { event: string; payload: any };

/** GitHub's published examples of each delivery that starts pipelines. */
const GITHUB_EXAMPLES: Example[] = [
  {
    event: 'push',
    payload: githubExample('push', p => p.ref === 'refs/heads/master'),
  },
  {
    event: 'push',
    payload: githubExample(
      'push',
      p => p.ref === 'refs/tags/simple-tag' && !p.deleted,
    ),
  },
  {
    // The package has no merged pull request; its closed one, merged, is one.
    event: 'pull_request',
    payload: (() => {
      const payload = githubExample('pull_request', p => p.action === 'closed');
      payload.pull_request.merged = true;
      payload.pull_request.merge_commit_sha =
        'c4295bd74fb0f4fda03689c3df3f2803b658fd85';
      return payload;
    })(),
  },
];

/** GitLab's documented examples: a push, a tag push and a merge request merged. */
const GITLAB_EXAMPLES: Example[] = [
  { event: 'Push Hook', payload: gitlabPush },
  { event: 'Tag Push Hook', payload: gitlabTagPush },
  {
    event: 'Merge Request Hook',
    payload: {
      ...gitlabMergeRequest,
      object_attributes: {
        ...gitlabMergeRequest.object_attributes,
        action: 'merge',
        merge_commit_sha: '4c8f0d9b5a8f3c7e1d2b6a9e0f1c3d5b7a9e2c4f',
      },
    },
  },
];

/** The repositories of the examples, each with pipelines on it. */
const GITHUB_REPOSITORY = 'https://github.com/Codertocat/Hello-World';
const GITLAB_REPOSITORIES = [
  'http://example.com/mike/diaspora',
  'http://example.com/jsmith/example',
  'http://example.com/gitlabhq/gitlab-test',
];

/** Any text, control characters and NULs included, in every Unicode plane. */
const anyText = fc.string({ unit: 'binary', maxLength: 200 });

/** Text an HTTP client may put in a header (Node refuses to send anything else). */
const headerText = fc.string({
  unit: fc
    .integer({ min: 0x20, max: 0xff })
    .filter(code => code !== 0x7f)
    .map(code => String.fromCharCode(code)),
  maxLength: 80,
});

/** What the code hosts put where the parsers read, and values close to it. */
const ODD_VALUES = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  '',
  [],
  {},
  'refs/heads/master',
  'refs/heads/develop',
  'refs/tags/v1',
  'refs/heads/',
  'refs/tags/',
  'refs/heads/ma\u0000ster',
  'refs/tags/\u0000',
  'refs/heads/master\n',
  `refs/heads/${'b'.repeat(300)}`,
  'master',
  '0'.repeat(40),
  '0'.repeat(64),
  'a'.repeat(64),
  'A'.repeat(40),
  'a'.repeat(300),
  'not a commit',
  'da1560886d4f094c3e6c9ef40349f7d38b5d27d7\u0000',
  GITHUB_REPOSITORY,
  'git@github.com:Codertocat/Hello-World.git',
  'https://github.com/someone/else',
  'http://[::1',
  `https://github.com/${'x/'.repeat(200)}`,
  'push',
  'tag_push',
  'merge_request',
  'merge',
  'closed',
];

/** The fields the GitHub and GitLab parsers read, as paths into a delivery. */
const READ_PATHS: string[][] = [
  [],
  ['ref'],
  ['after'],
  ['head_commit'],
  ['head_commit', 'id'],
  ['repository'],
  ['repository', 'html_url'],
  ['repository', 'clone_url'],
  ['repository', 'ssh_url'],
  ['repository', 'homepage'],
  ['action'],
  ['pull_request'],
  ['pull_request', 'number'],
  ['pull_request', 'merged'],
  ['pull_request', 'merge_commit_sha'],
  ['pull_request', 'base', 'ref'],
  ['object_kind'],
  ['event_name'],
  ['checkout_sha'],
  ['project'],
  ['project', 'web_url'],
  ['project', 'git_ssh_url'],
  ['object_attributes'],
  ['object_attributes', 'action'],
  ['object_attributes', 'iid'],
  ['object_attributes', 'target_branch'],
  ['object_attributes', 'merge_commit_sha'],
];

/** Every path into a value, to its leaves, up to four levels deep. */
function pathsOf(value: unknown, at: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || at.length === 4)
    return [at];
  return [
    at,
    ...Object.entries(value).flatMap(([key, item]) =>
      pathsOf(item, [...at, key]),
    ),
  ];
}

type Mutation = { path: string[]; value?: unknown; remove?: boolean };

function mutate(payload: any, mutations: Mutation[]): unknown {
  let result = structuredClone(payload);
  for (const { path, value, remove } of mutations) {
    if (path.length === 0) {
      result = remove ? undefined : value;
      continue;
    }
    let parent = result;
    for (const key of path.slice(0, -1)) {
      if (parent === null || typeof parent !== 'object') break;
      parent[key] ??= {};
      parent = parent[key];
    }
    if (parent === null || typeof parent !== 'object') continue;
    const key = path[path.length - 1];
    if (remove) delete parent[key];
    else parent[key] = structuredClone(value);
  }
  return result;
}

/**
 * A published example with up to three values replaced or removed, at the fields the
 * parsers read or anywhere; sometimes cut off: what a host with a bug, or a proxy on the
 * way, would send. `text` is the body, `event` the example's event header.
 */
const mutatedExample = (examples: Example[]) =>
  fc.constantFrom(...examples).chain(example =>
    fc
      .record({
        mutations: fc.array(
          fc.record({
            path: fc.oneof(
              fc.constantFrom(...READ_PATHS),
              fc.constantFrom(...pathsOf(example.payload)),
            ),
            value: fc.oneof(
              fc.constantFrom(...ODD_VALUES),
              fc.jsonValue({ maxDepth: 2 }),
              anyText,
            ),
            remove: fc.boolean(),
          }),
          { minLength: 0, maxLength: 3 },
        ),
        cutAt: fc.oneof({ weight: 7, arbitrary: fc.constant(null) }, fc.nat()),
      })
      .map(({ mutations, cutAt }) => {
        const payload = mutate(example.payload, mutations);
        const whole = JSON.stringify(payload) ?? '';
        const text =
          cutAt === null ? whole : whole.slice(0, cutAt % (whole.length + 1));
        return { event: example.event, text };
      }),
  );

/** Bodies expensive to read: 100,000 levels of arrays, 50,000 of objects, 100 KB of text. */
const DEEP_BODIES = [
  `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
  `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}`,
  JSON.stringify(
    mutate(GITHUB_EXAMPLES[0].payload, [
      { path: ['commits', '0', 'message'], value: 'x'.repeat(100_000) },
    ]),
  ),
];

/** Anything that may arrive as a body: JSON, broken examples, text, bytes, deep nesting. */
const anyBody = (examples: Example[]) =>
  fc.oneof(
    fc.json({ maxDepth: 3 }),
    mutatedExample(examples).map(({ text }) => text),
    anyText,
    fc.uint8Array({ maxLength: 300 }).map(bytes => Buffer.from(bytes)),
    fc.constantFrom(...DEEP_BODIES),
  );

const anyContentType = fc.oneof(
  { weight: 3, arbitrary: fc.constant('application/json') },
  fc.constantFrom(
    undefined,
    '',
    'application/json; charset=utf-8',
    'APPLICATION/JSON',
    'application/json; charset=latin1',
    'application/json; charset=utf16le',
    'application/json; charset=hex',
    'application/json; charset=nope',
    'application/json; charset="utf-8"',
    'application/json;',
    'text/plain',
    'application/x-www-form-urlencoded',
    'multipart/form-data; boundary=x',
    '*/*',
  ),
  headerText,
);

type Delivery = {
  method?: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string | Buffer;
};

type Answer = { status: number; text: string };

/** Connections kept open between deliveries, each from the local address it was asked. */
const agent = new http.Agent({ keepAlive: true });

/** Posts a delivery as it is, headers and bytes, from `from` (an address of this host). */
function send(port: number, delivery: Delivery, from?: string) {
  const body =
    typeof delivery.body === 'string'
      ? Buffer.from(delivery.body)
      : delivery.body;
  const headers = Object.fromEntries(
    Object.entries(delivery.headers).filter(([, v]) => v !== undefined),
  ) as http.OutgoingHttpHeaders;
  return new Promise<Answer>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: delivery.method ?? 'POST',
        path: delivery.path,
        headers: { ...headers, 'content-length': body.length },
        agent,
        ...(from ? { localAddress: from } : {}),
      },
      res => {
        const chunks: Buffer[] = [];
        res.on('data', chunk => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () =>
          resolve({
            status: res.statusCode!,
            text: Buffer.concat(chunks).toString(),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A GitHub delivery signed with the webhook secret, as GitHub sends it; `null`: no id. */
function signedGithub(
  event: string | undefined,
  text: string,
  deliveryId: string | null = randomUUID(),
): Delivery {
  return {
    path: '/api/events/http/github',
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': deliveryId ?? undefined,
      'x-hub-signature-256': `sha256=${hmac(GITHUB_SECRET, text)}`,
    },
    body: text,
  };
}

/** A GitLab delivery with the webhook token, as GitLab sends it; `null`: no event UUID. */
function tokenGitlab(
  event: string | undefined,
  text: string,
  uuid: string | null = randomUUID(),
): Delivery {
  return {
    path: '/api/events/http/gitlab',
    headers: {
      'content-type': 'application/json',
      'x-gitlab-event': event,
      'x-gitlab-event-uuid': uuid ?? undefined,
      'x-gitlab-token': GITLAB_SECRET,
    },
    body: text,
  };
}

/** What the backend logs at warn and error, from every plugin and module. */
class LogRecorder {
  readonly problems: string[] = [];

  logger(meta: Record<string, unknown> = {}): LoggerService {
    const record =
      (level: string) =>
      (message: string, extra?: Error | object): void => {
        const detail =
          extra instanceof Error ? extra.message : JSON.stringify(extra ?? {});
        this.problems.push(
          `${level} ${JSON.stringify(meta)} ${message} ${detail}`,
        );
      };
    return {
      error: record('error'),
      warn: record('warn'),
      info: () => {},
      debug: () => {},
      child: child => this.logger({ ...meta, ...child }),
    };
  }
}

/**
 * What the devops plugin has stored, in one statement, as it is read around every
 * delivery: counts, and the newest activity entry. And a check that no entry after
 * `since` is half of a delivery: one that started a run but names no run of its own
 * pipeline, or another one that names a run.
 */
async function storedState(knex: Knex, since = 0) {
  const [row] = await knex.queryBuilder().select({
    pipelines: knex('pipelines').count(),
    triggers: knex('pipeline_triggers').count(),
    runs: knex('runs').count(),
    activity: knex('trigger_activity').count(),
    started: knex('trigger_activity').where('outcome', 'started').count(),
    lastActivity: knex('trigger_activity').max('id'),
    halves: knex('trigger_activity as a')
      .leftJoin('runs as r', 'r.id', 'a.run_id')
      .where('a.id', '>', since)
      .andWhere(broken =>
        broken
          .where(started =>
            started
              .where('a.outcome', 'started')
              .andWhere(run =>
                run
                  .whereNull('r.id')
                  .orWhereRaw('r.pipeline_id <> a.pipeline_id'),
              ),
          )
          .orWhere(other =>
            other.whereNot('a.outcome', 'started').whereNotNull('a.run_id'),
          ),
      )
      .count(),
  });
  const { halves, ...stored } = Object.fromEntries(
    Object.entries(row).map(([key, value]) => [key, Number(value)]),
  );
  expect(halves).toBe(0);
  return stored as Record<
    'pipelines' | 'triggers' | 'runs' | 'activity' | 'started' | 'lastActivity',
    number
  >;
}

/** Runs that no activity entry started: the other half of a delivery, looked for anywhere. */
async function runsWithoutActivity(knex: Knex) {
  const [{ count }] = await knex('runs')
    .whereNotIn(
      'id',
      knex('trigger_activity').whereNotNull('run_id').select('run_id'),
    )
    .count({ count: '*' });
  return Number(count);
}

/**
 * A backend with the devops plugin and the events backend, its GitHub and GitLab modules
 * and the devops guard of their ingresses, as packages/backend has them. The engine runs
 * nothing (concurrentRuns 0): a started run stays queued, which is all these tests look
 * at, and a thousand of them do not execute. `backend` is merged into `backend:` of its
 * configuration; `trustProxy` is set as Backstage's own root router sets
 * backend.trustProxy, which the test backend's root router does not read.
 */
async function startPortal(
  knex: Knex,
  options: { backend?: object; trustProxy?: boolean | number } = {},
) {
  const recorder = new LogRecorder();
  // The events backend keeps its own tables; on SQLite it keeps its bus in memory.
  const eventsDb = knexFactory({
    client: 'better-sqlite3',
    connection: ':memory:',
    useNullAsDefault: true,
  });
  const backend = await startTestBackend({
    features: [
      devopsPlugin,
      import('@backstage/plugin-events-backend'),
      import('@backstage/plugin-events-backend-module-github'),
      import('@backstage/plugin-events-backend-module-gitlab'),
      devopsWebhookGuardModule,
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => recorder.logger(),
      }),
      createServiceFactory({
        service: coreServices.database,
        deps: { plugin: coreServices.pluginMetadata },
        factory: ({ plugin }) => ({
          getClient: async () =>
            plugin.getId() === 'devops' ? knex : eventsDb,
        }),
      }),
      // The real events service: the test backend's mock delivers only within a plugin.
      eventsServiceFactory,
      mockServices.rootConfig.factory({
        data: {
          backend: { baseUrl: 'http://127.0.0.1', ...options.backend },
          app: { baseUrl: 'https://portal.example.com' },
          events: {
            // One backend process: deliveries go plugin to plugin in memory.
            useEventBus: 'never',
            modules: {
              github: { webhookSecret: GITHUB_SECRET },
              gitlab: { webhookSecret: GITLAB_SECRET },
            },
          },
          devops: {
            encryptionKey: 'webhook-property-test-key',
            engine: { concurrentRuns: 0 },
          },
        },
      }),
    ],
  });
  if (options.trustProxy !== undefined) {
    // The server's request listener is the root Express app.
    const app = backend.server.listeners('request')[0] as Express;
    app.set('trust proxy', options.trustProxy);
  }
  const port = () => backend.server.port();

  /** Creates a pipeline (its webhook registered by hand) and returns its id. */
  const pipelineOn = async (
    provider: 'github' | 'gitlab',
    repository: string,
    branch: string,
  ) => {
    const document = pipelineDocument({
      triggers: { events: { push: true, merge: true, tag: true } },
    });
    document.spec.source = { provider, repository, branch };
    const res = await send(port(), {
      path: '/api/devops/pipelines?webhook=manual',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(document),
    });
    if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${res.text}`);
    return JSON.parse(res.text).status.id as string;
  };

  return {
    recorder,
    port,
    pipelineOn,
    state: (since?: number) => storedState(knex, since),
    /** The outcomes of the activity entries after `since`, oldest first. */
    outcomesSince: async (since: number) =>
      (
        await knex('trigger_activity')
          .where('id', '>', since)
          .orderBy('id')
          .select('outcome')
      ).map(row => row.outcome as string),
    runsWithoutActivity: () => runsWithoutActivity(knex),
    send: (delivery: Delivery, from?: string) => send(port(), delivery, from),
    async stop() {
      await backend.stop();
      await eventsDb.destroy();
    },
  };
}

type Portal = Awaited<ReturnType<typeof startPortal>>;

/** The delivery's answer, which must not be a server error. */
async function answered(portal: Portal, delivery: Delivery, from?: string) {
  const res = await portal.send(delivery, from);
  if (res.status >= 500) throw new Error(`HTTP ${res.status}: ${res.text}`);
  return res;
}

/** A header's value as the server reads it: without the blanks around it. */
const asReceived = <T>(value: T) =>
  typeof value === 'string' ? value.replace(/^[ \t]+|[ \t]+$/g, '') : value;

/** The topic the events backend publishes a delivery on, as its modules' routers do. */
function topicOf(provider: 'github' | 'gitlab', event: unknown, payload: any) {
  if (provider === 'github') {
    const received = asReceived(event);
    return received ? `github.${received}` : undefined;
  }
  if (!('object_kind' in payload || 'event_name' in payload)) return undefined;
  const kind = payload.object_kind || payload.event_name;
  return kind ? `gitlab.${kind}` : undefined;
}

/** What the devops plugin reads of a delivery; undefined where it starts nothing. */
function readByDevops(delivery: Delivery, provider: 'github' | 'gitlab') {
  let payload: unknown;
  try {
    payload = JSON.parse(delivery.body.toString());
  } catch {
    return undefined;
  }
  if (payload === null || typeof payload !== 'object') return undefined;
  const topic = topicOf(provider, delivery.headers['x-github-event'], payload);
  if (!topic || !EVENT_TOPICS.includes(topic)) return undefined;
  const metadata = Object.fromEntries(
    Object.entries(delivery.headers).map(([k, v]) => [k, asReceived(v)]),
  );
  return parseDelivery({ topic, eventPayload: payload, metadata });
}

describe('webhook deliveries', () => {
  afterAll(() => agent.destroy());

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let portal: Portal;
    /** What the last signed delivery left stored, read after it: the next one's before. */
    let known: Awaited<ReturnType<Portal['state']>> | undefined;

    beforeAll(async () => {
      portal = await startPortal(await databases.init(databaseId));
      // Pipelines that start on the examples, and one that skips them (another branch).
      await portal.pipelineOn('github', GITHUB_REPOSITORY, 'master');
      await portal.pipelineOn('github', GITHUB_REPOSITORY, 'develop');
      for (const repository of GITLAB_REPOSITORIES) {
        await portal.pipelineOn('gitlab', repository, 'master');
      }
    });

    afterAll(() => portal?.stop());

    beforeEach(() => {
      portal.recorder.problems.length = 0;
      known = undefined;
    });

    /** A valid delivery afterwards still starts its runs: the backend serves on. */
    async function stillServes() {
      const before = await portal.state();
      const push = GITHUB_EXAMPLES[0];
      expect(
        (
          await answered(
            portal,
            signedGithub(push.event, JSON.stringify(push.payload)),
          )
        ).status,
      ).toBe(202);
      expect(
        (
          await answered(
            portal,
            tokenGitlab('Push Hook', JSON.stringify(gitlabPush)),
          )
        ).status,
      ).toBe(202);
      const after = await portal.state();
      // The GitHub push starts master's pipeline and is skipped by develop's.
      expect(after.runs - before.runs).toBe(2);
      expect(after.started - before.started).toBe(2);
      expect(after.activity - before.activity).toBe(3);
      expect(await portal.runsWithoutActivity()).toBe(0);
      expect(portal.recorder.problems).toEqual([]);
    }

    it('refuses GitHub deliveries without the right signature, with a 4xx, storing nothing', async () => {
      const stored = await portal.state();
      await fc.assert(
        fc.asyncProperty(
          anyBody(GITHUB_EXAMPLES),
          anyContentType,
          fc.option(
            fc.oneof(
              fc.constantFrom('push', 'pull_request', 'ping'),
              headerText,
            ),
            { nil: undefined },
          ),
          fc.option(fc.oneof(fc.uuid(), headerText), { nil: undefined }),
          fc.constantFrom(
            'none',
            'wrong secret',
            'another body',
            'uppercase',
            'only the SHA-1 header',
            'garbage',
          ),
          headerText,
          async (body, contentType, event, deliveryId, signing, garbage) => {
            const text = body.toString();
            const right = `sha256=${hmac(GITHUB_SECRET, text)}`;
            const signatures: Record<string, Delivery['headers']> = {
              none: {},
              'wrong secret': {
                'x-hub-signature-256': `sha256=${hmac('guessed', text)}`,
              },
              'another body': {
                'x-hub-signature-256': `sha256=${hmac(GITHUB_SECRET, 'x')}`,
              },
              uppercase: { 'x-hub-signature-256': right.toUpperCase() },
              // GitHub's old header: the ingress checks only X-Hub-Signature-256.
              'only the SHA-1 header': {
                'x-hub-signature': `sha1=${hmac(GITHUB_SECRET, text, 'sha1')}`,
              },
              garbage: { 'x-hub-signature-256': garbage },
            };
            const headers = signatures[signing];
            fc.pre(headers['x-hub-signature-256'] !== right);
            const res = await answered(portal, {
              path: '/api/events/http/github',
              headers: {
                'content-type': contentType,
                'x-github-event': event,
                'x-github-delivery': deliveryId,
                ...headers,
              },
              body,
            });
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(await portal.state(stored.lastActivity)).toEqual(stored);
            expect(portal.recorder.problems).toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
      await stillServes();
    });

    it('refuses GitLab deliveries without the right token, with a 4xx, storing nothing', async () => {
      const stored = await portal.state();
      await fc.assert(
        fc.asyncProperty(
          anyBody(GITLAB_EXAMPLES),
          anyContentType,
          fc.option(
            fc.oneof(
              fc.constantFrom('Push Hook', 'Tag Push Hook', 'System Hook'),
              headerText,
            ),
            { nil: undefined },
          ),
          fc.oneof(
            fc.constantFrom(
              undefined,
              '',
              `${GITLAB_SECRET}x`,
              GITLAB_SECRET.slice(0, -1),
              GITLAB_SECRET.toUpperCase(),
              GITHUB_SECRET,
              // Sent twice, the header arrives as "token, token".
              [GITLAB_SECRET, GITLAB_SECRET],
            ),
            headerText,
          ),
          async (body, contentType, event, token) => {
            // The server trims a header's surrounding blanks: that would be the token.
            fc.pre(asReceived(token) !== GITLAB_SECRET);
            const res = await answered(portal, {
              path: '/api/events/http/gitlab',
              headers: {
                'content-type': contentType,
                'x-gitlab-event': event,
                'x-gitlab-event-uuid': randomUUID(),
                'x-gitlab-token': token,
              },
              body,
            });
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(await portal.state(stored.lastActivity)).toEqual(stored);
            expect(portal.recorder.problems).toEqual([]);
          },
        ),
        { numRuns: RUNS },
      );
      await stillServes();
    });

    /**
     * The property of a delivery with the right signature or token: no server error and no
     * failure logged; what the devops plugin does not read as an event stores nothing; and
     * what it stores is whole: each run started with the activity entry that names it, in
     * the same pipeline, and nothing else. Returns how the delivery ended, to show that
     * the generated deliveries reach every outcome.
     */
    async function deliverSigned(
      delivery: Delivery,
      provider: 'github' | 'gitlab',
    ) {
      const before = known ?? (await portal.state());
      known = undefined;
      const res = await answered(portal, delivery);
      expect(portal.recorder.problems).toEqual([]);
      const after = await portal.state(before.lastActivity);
      expect(after).toMatchObject({
        pipelines: before.pipelines,
        triggers: before.triggers,
      });
      // Each new started entry names a run of its own (checked by state()), so as many
      // new runs as started entries leave no run without its entry.
      expect(after.runs - before.runs).toBe(after.started - before.started);
      known = after;
      if (res.status !== 202 || !readByDevops(delivery, provider)) {
        expect(after).toEqual(before);
        return res.status === 202 ? 'ignored' : 'refused';
      }
      if (after.runs > before.runs) return 'started';
      return after.activity > before.activity ? 'recorded' : 'unmatched';
    }

    it('takes signed GitHub deliveries, however malformed, whole or not at all', async () => {
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          mutatedExample(GITHUB_EXAMPLES),
          fc.oneof(
            { weight: 6, arbitrary: fc.constant('example') },
            fc.constantFrom('push', 'pull_request', 'ping', undefined),
            headerText,
          ),
          fc.oneof(
            { weight: 6, arbitrary: fc.uuid() },
            fc.constantFrom(null, 'sent-again', 'd'.repeat(300)),
            headerText,
          ),
          async ({ event, text }, eventHeader, deliveryId) => {
            const outcome = await deliverSigned(
              signedGithub(
                eventHeader === 'example' ? event : eventHeader,
                text,
                deliveryId,
              ),
              'github',
            );
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          },
        ),
        { numRuns: RUNS },
      );
      // Every way a delivery can end was tried, each more than a few times.
      for (const outcome of ['started', 'recorded', 'ignored', 'refused']) {
        expect(outcomes.get(outcome) ?? 0).toBeGreaterThan(RUNS / 100);
      }
      await stillServes();
    });

    it('takes GitLab deliveries with the token, however malformed, whole or not at all', async () => {
      const outcomes = new Map<string, number>();
      await fc.assert(
        fc.asyncProperty(
          mutatedExample(GITLAB_EXAMPLES),
          fc.oneof(
            { weight: 6, arbitrary: fc.uuid() },
            fc.constantFrom(null, 'sent-again', 'd'.repeat(300)),
            headerText,
          ),
          async ({ event, text }, uuid) => {
            const outcome = await deliverSigned(
              tokenGitlab(event, text, uuid),
              'gitlab',
            );
            outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          },
        ),
        { numRuns: RUNS },
      );
      for (const outcome of ['started', 'ignored', 'refused']) {
        expect(outcomes.get(outcome) ?? 0).toBeGreaterThan(RUNS / 100);
      }
      await stillServes();
    });

    it('refuses hostile signed deliveries with a 4xx and takes huge valid ones', async () => {
      const before = await portal.state();
      const refused = [
        // Deep enough that writing it to the events backend's debug log overflowed the
        // stack: a 500 before the guard.
        ...DEEP_BODIES.slice(0, 2),
        'null',
        '"push"',
        '[]',
        '5',
        '',
      ];
      for (const text of refused) {
        for (const delivery of [
          signedGithub('push', text),
          tokenGitlab('Push Hook', text),
        ]) {
          expect((await answered(portal, delivery)).status).toBe(400);
        }
      }
      // Beyond the ingress's 5 MB.
      const tooLarge = JSON.stringify({
        ...gitlabPush,
        padding: 'x'.repeat(6_000_000),
      });
      expect(
        (await answered(portal, tokenGitlab('Push Hook', tooLarge))).status,
      ).toBe(413);
      expect(await portal.state()).toEqual(before);

      // Within it: a 4 MB commit message, and a 1 MB branch name (skipped by both).
      const push = GITHUB_EXAMPLES[0].payload;
      const huge = [
        mutate(push, [
          { path: ['head_commit', 'message'], value: 'x'.repeat(4_000_000) },
        ]),
        mutate(push, [
          { path: ['ref'], value: `refs/heads/${'b'.repeat(1_000_000)}` },
        ]),
      ];
      for (const payload of huge) {
        expect(
          (
            await answered(
              portal,
              signedGithub('push', JSON.stringify(payload)),
            )
          ).status,
        ).toBe(202);
      }
      const after = await portal.state();
      expect(after.runs - before.runs).toBe(1);
      expect(after.activity - before.activity).toBe(4);
      expect(portal.recorder.problems).toEqual([]);
    });

    it('stores what PostgreSQL cannot hold nowhere, and logs no failure: long commits, NULs, long keys', async () => {
      // On SQLite these were stored; on PostgreSQL each failed in the subscriber (a
      // warning, the delivery lost): a commit longer than its column, a NUL in the
      // summary, a delivery id or branch too long for the deduplication key.
      const push = GITHUB_EXAMPLES[0].payload;
      const before = await portal.state();
      const notEvents = [
        mutate(push, [{ path: ['after'], value: 'a'.repeat(300) }]),
        mutate(push, [{ path: ['ref'], value: 'refs/heads/ma\u0000ster' }]),
        mutate(gitlabPush, [{ path: ['after'], value: 'a'.repeat(65) }]),
      ];
      for (const [i, payload] of notEvents.entries()) {
        const text = JSON.stringify(payload);
        const res = await answered(
          portal,
          i < 2 ? signedGithub('push', text) : tokenGitlab('Push Hook', text),
        );
        expect(res.status).toBe(202);
      }
      expect(await portal.state()).toEqual(before);

      // A long delivery id still starts the run, once; a long branch is skipped, once.
      const text = JSON.stringify(push);
      const longId = `${randomUUID()}-${'d'.repeat(300)}`;
      await answered(portal, signedGithub('push', text, longId));
      await answered(portal, signedGithub('push', text, longId));
      const longBranch = JSON.stringify(
        mutate(push, [
          {
            path: ['ref'],
            value: `refs/heads/${randomUUID()}-${'b'.repeat(300)}`,
          },
        ]),
      );
      await answered(portal, signedGithub('push', longBranch, null));
      await answered(portal, signedGithub('push', longBranch, null));
      expect((await portal.state()).runs - before.runs).toBe(1);
      // Each delivery: an entry per pipeline (master's and develop's), then a duplicate
      // per pipeline when it comes again.
      const outcomes = await portal.outcomesSince(before.lastActivity);
      expect(outcomes.sort()).toEqual(
        [
          ...['started', 'skipped', 'duplicate', 'duplicate'],
          ...['skipped', 'skipped', 'duplicate', 'duplicate'],
        ].sort(),
      );
      expect(portal.recorder.problems).toEqual([]);
    });
  });

  /*
   * Backstage's rate limit for one plugin (backend.rateLimit.plugin.<id>), which its
   * httpRouter puts in front of the plugin's routes, the test backend's too:
   * express-rate-limit with an in-memory store per process (a shared one only with
   * backend.rateLimit.store, Redis), keyed on Express's req.ip and skipping the addresses
   * of ipAllowList as written (by default 127.0.0.1, 0:0:0:0:0:0:0:1 and ::1; a listener
   * that takes IPv6 too, the default, sees 127.0.0.1 as ::ffff:127.0.0.1, not skipped). It
   * answers before any plugin code runs, so one database shows it: SQLite. The sources are
   * loopback addresses other than 127.0.0.1, which Linux gives every process.
   */
  describe('rate limit of the events plugin', () => {
    const LIMIT = 3;
    const limitEvents = {
      rateLimit: {
        global: false,
        plugin: { events: { window: '1m', incomingRequestLimit: LIMIT } },
      },
    };
    let portal: Portal | undefined;

    afterEach(async () => {
      await portal?.stop();
      portal = undefined;
    });

    /** A backend so limited, with a pipeline on GitHub's example repository. */
    async function startLimited(trustProxy?: boolean | number) {
      portal = await startPortal(await databases.init('SQLITE_3'), {
        backend: limitEvents,
        trustProxy,
      });
      await portal.pipelineOn('github', GITHUB_REPOSITORY, 'master');
      return portal;
    }

    const push = () =>
      signedGithub('push', JSON.stringify(GITHUB_EXAMPLES[0].payload));
    const forwardedFor = (delivery: Delivery, addresses?: string) =>
      addresses
        ? {
            ...delivery,
            headers: { ...delivery.headers, 'x-forwarded-for': addresses },
          }
        : delivery;

    /** Spends a source's allowance on refused deliveries: they count like any other. */
    async function spend(limited: Portal, from: string, forwarded?: string) {
      const unsigned = forwardedFor(
        { ...push(), headers: { 'content-type': 'application/json' } },
        forwarded,
      );
      for (let i = 0; i < LIMIT; i++) {
        expect((await answered(limited, unsigned, from)).status).toBe(403);
      }
    }

    it('limits each address on its own: beyond the limit a 429 that starts nothing, another address served', async () => {
      const limited = await startLimited();
      const before = await limited.state();
      await spend(limited, '127.0.0.2');

      expect((await answered(limited, push(), '127.0.0.2')).status).toBe(429);
      // Without backend.trustProxy an X-Forwarded-For of its own does not change its address.
      const spoofed = forwardedFor(push(), '203.0.113.9');
      expect((await answered(limited, spoofed, '127.0.0.2')).status).toBe(429);
      expect(await limited.state()).toEqual(before);

      expect((await answered(limited, push(), '127.0.0.3')).status).toBe(202);
      expect((await limited.state()).runs).toBe(before.runs + 1);
      // Only the events plugin is limited (global: false): the devops API is not.
      for (let i = 0; i <= LIMIT; i++) {
        const list = {
          method: 'GET',
          path: '/api/devops/pipelines',
          headers: {},
          body: '',
        };
        expect((await answered(limited, list, '127.0.0.2')).status).toBe(200);
      }
      expect(limited.recorder.problems).toEqual([]);
    });

    it.each([
      // One proxy in front: the address it appends, the last entry, is the client's.
      [1, 'the last', 429],
      // Every proxy trusted: the first entry, which the client may have written itself.
      [true, 'the first', 202],
    ])(
      'behind a proxy, with backend.trustProxy %p, limits per %s X-Forwarded-For address',
      async (trustProxy, _which, answer) => {
        const limited = await startLimited(trustProxy);
        const proxy = '127.0.0.2';
        const before = await limited.state();
        await spend(limited, proxy, '203.0.113.1');

        const again = forwardedFor(push(), '203.0.113.1');
        expect((await answered(limited, again, proxy)).status).toBe(429);
        expect(await limited.state()).toEqual(before);
        // The proxy's other clients are served.
        const other = forwardedFor(push(), '203.0.113.2');
        expect((await answered(limited, other, proxy)).status).toBe(202);
        // The limited client, having written an address of its own before the proxy's.
        const written = forwardedFor(push(), '198.51.100.7, 203.0.113.1');
        expect((await answered(limited, written, proxy)).status).toBe(answer);
        expect((await limited.state()).runs).toBe(
          before.runs + (answer === 202 ? 2 : 1),
        );
      },
    );

    it.each([
      [{ plugin: { events: { incomingRequestLimit: 120 } } }, 429],
      [
        { global: false, plugin: { events: { incomingRequestLimit: 120 } } },
        200,
      ],
    ])(
      "also limits every plugin to 5 requests a minute per address unless global is false: Backstage's root router with backend.rateLimit %j",
      async (rateLimit, sixth) => {
        // backend.rateLimit set at all turns on the root router's global limit, with the
        // top-level settings, here none: express-rate-limit's default of 5 a minute. The
        // test backend's root router has no global limit, so this is Backstage's own.
        let server: ExtendedHttpServer | undefined;
        const root = await ServiceFactoryTester.from(
          rootHttpRouterServiceFactory({
            configure: context => {
              server = context.server as ExtendedHttpServer;
              context.applyDefaults();
            },
          }),
          {
            dependencies: [
              mockServices.rootConfig.factory({
                data: {
                  backend: {
                    listen: { host: '127.0.0.1', port: 0 },
                    rateLimit,
                  },
                },
              }),
            ],
          },
        ).getSubject();
        root.use('/api/devops', (_req, res) => {
          res.json({ items: [] });
        });
        try {
          const statuses: number[] = [];
          for (let i = 0; i < 6; i++) {
            const res = await send(
              server!.port(),
              {
                method: 'GET',
                path: '/api/devops/pipelines',
                headers: {},
                body: '',
              },
              '127.0.0.2',
            );
            statuses.push(res.status);
          }
          expect(statuses).toEqual([200, 200, 200, 200, 200, sixth]);
        } finally {
          await server?.stop();
        }
      },
    );
  });
});

/*
 * A stand-in for the REST APIs of GitHub (v3, as github.com or GitHub Enterprise Server
 * under /api/v3) and GitLab (v4), for the code host clients' tests. No real GitHub or
 * GitLab can run here, and mocking `fetch` would test the clients against themselves: this
 * is a real HTTP server on 127.0.0.1, so the clients' URLs, headers, bodies, pagination
 * and error handling go over the wire. It answers with the shapes the providers document
 * (webhooks, commit statuses, error bodies, Link and x-next-page headers) and keeps
 * repositories, hooks and statuses in memory.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';

import type { CodeHostProvider } from '../../types';

export type { CodeHostProvider };

/**
 * What a token may do on a repository. GitHub: admin manages hooks, write (push) posts
 * statuses. GitLab: admin is the Maintainer role, write the Developer role.
 */
export type RepositoryAccess = 'admin' | 'write' | 'read';

/** A hook as the stand-in keeps it, with what the providers never show (the secret). */
export type StandInHook = {
  id: number;
  url: string;
  /** GitHub event names, or the names of the GitLab `*_events` flags that are true. */
  events: string[];
  secret?: string;
  /** GitHub's `active`; GitLab hooks have no such switch and are always active. */
  active: boolean;
  /** GitHub `insecure_ssl` '0', or GitLab `enable_ssl_verification` true. */
  verifiesSsl: boolean;
  /** GitHub `config.content_type`; GitLab always posts JSON. */
  contentType?: string;
};

export type StandInStatus = {
  sha: string;
  state: string;
  context: string;
  targetUrl?: string;
  description?: string;
};

export type RecordedRequest = {
  method: string;
  /** Path and query, as sent. */
  path: string;
  headers: http.IncomingHttpHeaders;
  body: unknown;
};

export type StandInOptions = {
  /** `/api/v3` to look like GitHub Enterprise Server; `''` (the default) like api.github.com. */
  githubBasePath?: string;
  /** GitHub: hooks per event (20 there); GitLab: hooks per project (100 there). None by default. */
  hookLimit?: number;
  /** Caps `per_page` (100 on both), so that a few hooks make several pages. */
  maxPageSize?: number;
};

/** `answer` with that status to every request, or `closeConnections` without answering. */
export type StandInFailure = { answer: number } | 'closeConnections';

type Repository = {
  projectId: number;
  tokens: Record<string, RepositoryAccess>;
  hooks: Array<StandInHook & { createdAt: string; updatedAt: string }>;
  statuses: Array<StandInStatus & { id: number; createdAt: string }>;
};

type Answer = {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
};

const GITLAB_EVENT_FLAGS = [
  'push_events',
  'tag_push_events',
  'merge_requests_events',
  'issues_events',
  'note_events',
  'job_events',
  'pipeline_events',
  'wiki_page_events',
];

const GITHUB_STATES = ['pending', 'success', 'failure', 'error'];
const GITLAB_STATES = ['pending', 'running', 'success', 'failed', 'canceled'];
/** The state machine event GitLab names in "Cannot transition status via :<event>". */
const GITLAB_STATE_EVENTS: Record<string, string> = {
  pending: 'enqueue',
  running: 'run',
  success: 'success',
  failed: 'drop',
  canceled: 'cancel',
};

const GITHUB_DOCS = 'https://docs.github.com/rest';

export class CodeHostStandIn {
  readonly requests: RecordedRequest[] = [];

  private readonly repositories = new Map<string, Repository>();
  private failure: StandInFailure | undefined;
  private nextId = 1;

  /** Listens on a free port of 127.0.0.1. */
  static async start(options: StandInOptions = {}): Promise<CodeHostStandIn> {
    const standIn = new CodeHostStandIn(options);
    await new Promise<void>(resolve =>
      standIn.server.listen(0, '127.0.0.1', resolve),
    );
    return standIn;
  }

  private readonly server: http.Server;
  private readonly githubBasePath: string;
  private readonly hookLimit: number | undefined;
  private readonly maxPageSize: number;

  private constructor(options: StandInOptions) {
    this.githubBasePath = options.githubBasePath ?? '';
    this.hookLimit = options.hookLimit;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.server = http.createServer((request, response) =>
      this.serve(request, response),
    );
  }

  /** The GitHub integration's `apiBaseUrl`: the server, plus `/api/v3` when asked. */
  get githubApiBaseUrl(): string {
    return `${this.origin}${this.githubBasePath}`;
  }

  /** The GitLab integration's `apiBaseUrl`. */
  get gitlabApiBaseUrl(): string {
    return `${this.origin}/api/v4`;
  }

  /** A repository (GitHub `owner/repo`, GitLab `group/sub/project`) and the tokens that may use it. */
  addRepository(
    provider: CodeHostProvider,
    path: string,
    tokens: Record<string, RepositoryAccess>,
  ): void {
    this.repositories.set(key(provider, path), {
      projectId: this.nextId++,
      tokens,
      hooks: [],
      statuses: [],
    });
  }

  /** A hook someone else registered, e.g. to fill pages before the one the client needs. */
  addHook(
    provider: CodeHostProvider,
    path: string,
    hook: { url: string; events?: string[]; secret?: string },
  ): number {
    const id = this.nextId++;
    const now = timestamp();
    this.repository(provider, path).hooks.push({
      id,
      url: hook.url,
      events:
        hook.events ?? (provider === 'github' ? ['push'] : ['push_events']),
      secret: hook.secret,
      active: true,
      verifiesSsl: true,
      contentType: provider === 'github' ? 'json' : undefined,
      createdAt: now,
      updatedAt: now,
    });
    return id;
  }

  hooks(provider: CodeHostProvider, path: string): StandInHook[] {
    return this.repository(provider, path).hooks.map(
      ({ id, url, events, secret, active, verifiesSsl, contentType }) => ({
        id,
        url,
        events,
        secret,
        active,
        verifiesSsl,
        ...(contentType ? { contentType } : {}),
      }),
    );
  }

  statuses(provider: CodeHostProvider, path: string): StandInStatus[] {
    return this.repository(provider, path).statuses.map(
      ({ sha, state, context, targetUrl, description }) => ({
        sha,
        state,
        context,
        targetUrl,
        description,
      }),
    );
  }

  /** Makes every following request fail in that way, until called with `undefined`. */
  fail(failure: StandInFailure | undefined): void {
    this.failure = failure;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      this.server.close(error => (error ? reject(error) : resolve())),
    );
  }

  private get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  private repository(provider: CodeHostProvider, path: string): Repository {
    const repository = this.repositories.get(key(provider, path));
    if (!repository) {
      throw new Error(`The stand-in has no ${provider} repository ${path}`);
    }
    return repository;
  }

  private async serve(
    request: http.IncomingMessage,
    response: http.ServerResponse,
  ): Promise<void> {
    const text = await readText(request);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: undefined,
    };
    this.requests.push(recorded);
    if (this.failure === 'closeConnections') {
      request.socket.destroy();
      return;
    }
    if (this.failure) {
      send(response, {
        status: this.failure.answer,
        body: { message: 'The stand-in was told to fail' },
      });
      return;
    }
    if (text) {
      if (!String(request.headers['content-type']).includes('json')) {
        send(response, { status: 415, body: { message: 'Send JSON' } });
        return;
      }
      try {
        recorded.body = JSON.parse(text);
      } catch {
        send(response, {
          status: 400,
          body: { message: 'Problems parsing JSON' },
        });
        return;
      }
    }
    const url = new URL(recorded.path, this.origin);
    const answer = url.pathname.startsWith('/api/v4/')
      ? this.serveGitlab(recorded.method, url, request.headers, recorded.body)
      : this.serveGithub(recorded.method, url, request.headers, recorded.body);
    send(response, answer);
  }

  // GitHub

  private serveGithub(
    method: string,
    url: URL,
    headers: http.IncomingHttpHeaders,
    body: unknown,
  ): Answer {
    const notFound = {
      status: 404,
      body: {
        message: 'Not Found',
        documentation_url: GITHUB_DOCS,
        status: '404',
      },
    };
    if (!url.pathname.startsWith(`${this.githubBasePath}/repos/`)) {
      return notFound;
    }
    const route = url.pathname.slice(this.githubBasePath.length);
    const match =
      /^\/repos\/([^/]+)\/([^/]+)\/(hooks|statuses)(?:\/([^/]+))?$/.exec(route);
    if (!match) {
      return notFound;
    }
    const [, owner, name, collection, item] = match;
    const path = `${owner}/${name}`;

    const token = /^(?:Bearer|token) (.+)$/i.exec(
      headers.authorization ?? '',
    )?.[1];
    if (!token || !this.isKnownToken('github', token)) {
      return {
        status: 401,
        body: {
          message: 'Bad credentials',
          documentation_url: GITHUB_DOCS,
          status: '401',
        },
      };
    }
    const repository = this.repositories.get(key('github', path));
    const access = repository?.tokens[token];
    if (!repository || !access) {
      return notFound;
    }
    // GitHub hides hooks from non-admins, and the repository from those who cannot push.
    const needed = collection === 'hooks' ? 'admin' : 'write';
    if (!allows(access, needed)) {
      return notFound;
    }

    if (collection === 'statuses') {
      return method === 'POST' && item
        ? this.createGithubStatus(repository, path, item, body)
        : notFound;
    }
    const hookApiUrl = `${this.githubApiBaseUrl}/repos/${path}/hooks`;
    if (!item) {
      if (method === 'GET') {
        const page = this.paginate(url, 30, repository.hooks);
        return {
          status: 200,
          body: page.items.map(hook => githubHook(hook, hookApiUrl)),
          headers: githubLinkHeader(url, page),
        };
      }
      return method === 'POST'
        ? this.createGithubHook(repository, body, hookApiUrl)
        : notFound;
    }
    const hook = repository.hooks.find(
      candidate => String(candidate.id) === item,
    );
    if (!hook) {
      return notFound;
    }
    if (method === 'GET') {
      return { status: 200, body: githubHook(hook, hookApiUrl) };
    }
    if (method === 'PATCH') {
      const { config, events, active } = (body ?? {}) as GithubHookBody;
      if (config) {
        if (!config.url) {
          return githubValidationFailed([
            {
              resource: 'Hook',
              code: 'custom',
              message: 'Config must contain URL for webhooks',
            },
          ]);
        }
        hook.url = config.url;
        hook.secret = config.secret;
        hook.contentType = config.content_type ?? 'form';
        hook.verifiesSsl = (config.insecure_ssl ?? '0') === '0';
      }
      if (events) {
        hook.events = events;
      }
      if (typeof active === 'boolean') {
        hook.active = active;
      }
      hook.updatedAt = timestamp();
      return { status: 200, body: githubHook(hook, hookApiUrl) };
    }
    if (method === 'DELETE') {
      repository.hooks.splice(repository.hooks.indexOf(hook), 1);
      return { status: 204 };
    }
    return notFound;
  }

  private createGithubHook(
    repository: Repository,
    body: unknown,
    hookApiUrl: string,
  ): Answer {
    const {
      name,
      config,
      events = ['push'],
      active = true,
    } = (body ?? {}) as GithubHookBody;
    if (name !== undefined && name !== 'web') {
      return githubValidationFailed([
        { resource: 'Hook', code: 'invalid', field: 'name' },
      ]);
    }
    if (!config?.url) {
      return githubValidationFailed([
        {
          resource: 'Hook',
          code: 'custom',
          message: 'Config must contain URL for webhooks',
        },
      ]);
    }
    const full = events.filter(
      event =>
        this.hookLimit !== undefined &&
        repository.hooks.filter(hook => hook.events.includes(event)).length >=
          this.hookLimit,
    );
    if (full.length > 0) {
      return githubValidationFailed(
        full.map(event => ({
          resource: 'Hook',
          code: 'custom',
          message: `The "${event}" event cannot have more than ${this.hookLimit} hooks`,
        })),
      );
    }
    if (
      repository.hooks.some(
        hook =>
          hook.url === config.url &&
          hook.events.some(event => events.includes(event)),
      )
    ) {
      return githubValidationFailed([
        {
          resource: 'Hook',
          code: 'custom',
          message: 'Hook already exists on this repository',
        },
      ]);
    }
    const now = timestamp();
    const hook = {
      id: this.nextId++,
      url: config.url,
      events,
      secret: config.secret,
      active,
      verifiesSsl: (config.insecure_ssl ?? '0') === '0',
      contentType: config.content_type ?? 'form',
      createdAt: now,
      updatedAt: now,
    };
    repository.hooks.push(hook);
    return { status: 201, body: githubHook(hook, hookApiUrl) };
  }

  private createGithubStatus(
    repository: Repository,
    path: string,
    sha: string,
    body: unknown,
  ): Answer {
    const {
      state,
      target_url,
      description,
      context = 'default',
    } = (body ?? {}) as Record<string, string | undefined>;
    if (!/^[0-9a-f]{40}$/.test(sha)) {
      return {
        status: 422,
        body: {
          message: `No commit found for SHA: ${sha}`,
          documentation_url: GITHUB_DOCS,
          status: '422',
        },
      };
    }
    if (!state || !GITHUB_STATES.includes(state)) {
      return githubValidationFailed([
        {
          resource: 'Status',
          code: 'custom',
          field: 'state',
          message: `state is not included in the list`,
        },
      ]);
    }
    if (description && description.length > 140) {
      return githubValidationFailed([
        {
          resource: 'Status',
          code: 'custom',
          field: 'description',
          message: 'description is too long (maximum is 140 characters)',
        },
      ]);
    }
    const status = {
      id: this.nextId++,
      sha,
      state,
      context,
      targetUrl: target_url,
      description,
      createdAt: timestamp(),
    };
    repository.statuses.push(status);
    return {
      status: 201,
      body: {
        url: `${this.githubApiBaseUrl}/repos/${path}/statuses/${sha}`,
        avatar_url: 'https://avatars.githubusercontent.com/u/1?v=4',
        id: status.id,
        node_id: `MDY6U3RhdHVz${status.id}`,
        state,
        description: description ?? null,
        target_url: target_url ?? null,
        context,
        created_at: status.createdAt,
        updated_at: status.createdAt,
        creator: { login: 'octocat', id: 1, type: 'User', site_admin: false },
      },
    };
  }

  // GitLab

  private serveGitlab(
    method: string,
    url: URL,
    headers: http.IncomingHttpHeaders,
    body: unknown,
  ): Answer {
    const notFound = (what: string) => ({
      status: 404,
      body: { message: `404 ${what} Not Found` },
    });
    const match =
      /^\/api\/v4\/projects\/([^/]+)\/(hooks|statuses)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!match) {
      return { status: 404, body: { error: '404 Not Found' } };
    }
    const [, projectId, collection, item] = match;
    // GitLab takes a personal access token as PRIVATE-TOKEN, and any token (OAuth ones
    // too) as `Authorization: Bearer`.
    const token =
      headers['private-token'] ??
      /^Bearer (.+)$/i.exec(headers.authorization ?? '')?.[1];
    if (typeof token !== 'string' || !this.isKnownToken('gitlab', token)) {
      return { status: 401, body: { message: '401 Unauthorized' } };
    }
    const repository = this.gitlabProject(decodeURIComponent(projectId));
    const access = repository?.tokens[token];
    if (!repository || !access) {
      return notFound('Project');
    }
    const needed = collection === 'hooks' ? 'admin' : 'write';
    if (!allows(access, needed)) {
      return { status: 403, body: { message: '403 Forbidden' } };
    }

    if (collection === 'statuses') {
      return method === 'POST' && item
        ? this.createGitlabStatus(repository, item, body)
        : notFound('Route');
    }
    if (!item) {
      if (method === 'GET') {
        const page = this.paginate(url, 20, repository.hooks);
        return {
          status: 200,
          body: page.items.map(hook => gitlabHook(hook, repository.projectId)),
          headers: gitlabPageHeaders(page),
        };
      }
      return method === 'POST'
        ? this.createGitlabHook(repository, body)
        : notFound('Route');
    }
    const hook = repository.hooks.find(
      candidate => String(candidate.id) === item,
    );
    if (!hook) {
      return notFound('Hook');
    }
    if (method === 'GET') {
      return { status: 200, body: gitlabHook(hook, repository.projectId) };
    }
    if (method === 'PUT') {
      const settings = (body ?? {}) as GitlabHookBody;
      applyGitlabHookSettings(hook, settings);
      hook.updatedAt = timestamp();
      return { status: 200, body: gitlabHook(hook, repository.projectId) };
    }
    if (method === 'DELETE') {
      repository.hooks.splice(repository.hooks.indexOf(hook), 1);
      return { status: 204 };
    }
    return notFound('Route');
  }

  private createGitlabHook(repository: Repository, body: unknown): Answer {
    const settings = (body ?? {}) as GitlabHookBody;
    if (!settings.url) {
      return { status: 400, body: { error: 'url is missing' } };
    }
    if (
      this.hookLimit !== undefined &&
      repository.hooks.length >= this.hookLimit
    ) {
      return {
        status: 422,
        body: {
          error: `Maximum number of project hooks (${this.hookLimit}) exceeded`,
        },
      };
    }
    const now = timestamp();
    const hook = {
      id: this.nextId++,
      url: settings.url,
      // GitLab subscribes a new hook to pushes unless told otherwise.
      events: ['push_events'],
      active: true,
      verifiesSsl: true,
      createdAt: now,
      updatedAt: now,
    };
    applyGitlabHookSettings(hook, settings);
    repository.hooks.push(hook);
    return { status: 201, body: gitlabHook(hook, repository.projectId) };
  }

  private createGitlabStatus(
    repository: Repository,
    sha: string,
    body: unknown,
  ): Answer {
    const {
      state,
      name = 'default',
      target_url,
      description,
    } = (body ?? {}) as Record<string, string | undefined>;
    if (!state || !GITLAB_STATES.includes(state)) {
      return {
        status: 400,
        body: { error: 'state does not have a valid value' },
      };
    }
    const latest = repository.statuses
      .filter(status => status.sha === sha && status.context === name)
      .at(-1);
    if (latest?.state === state) {
      const event = GITLAB_STATE_EVENTS[state];
      return {
        status: 400,
        body: {
          message: `Cannot transition status via :${event} from :${state} (Reason(s): Status cannot transition via "${event}")`,
        },
      };
    }
    const status = {
      id: this.nextId++,
      sha,
      state,
      context: name,
      targetUrl: target_url,
      description,
      createdAt: timestamp(),
    };
    repository.statuses.push(status);
    return {
      status: 201,
      body: {
        id: status.id,
        sha,
        ref: 'main',
        status: state,
        name,
        target_url: target_url ?? null,
        description: description ?? null,
        created_at: status.createdAt,
        started_at: state === 'running' ? status.createdAt : null,
        finished_at: ['success', 'failed', 'canceled'].includes(state)
          ? status.createdAt
          : null,
        allow_failure: false,
        coverage: null,
        author: {
          id: 1,
          name: 'Administrator',
          username: 'root',
          state: 'active',
          avatar_url:
            'https://gitlab.example.com/uploads/user/avatar/1/avatar.png',
          web_url: 'https://gitlab.example.com/root',
        },
      },
    };
  }

  /** GitLab takes the numeric id or the URL-encoded path. */
  private gitlabProject(id: string): Repository | undefined {
    return (
      this.repositories.get(key('gitlab', id)) ??
      [...this.repositories.entries()].find(
        ([name, repository]) =>
          name.startsWith('gitlab:') && String(repository.projectId) === id,
      )?.[1]
    );
  }

  private isKnownToken(provider: CodeHostProvider, token: string): boolean {
    return [...this.repositories.entries()].some(
      ([name, repository]) =>
        name.startsWith(`${provider}:`) && token in repository.tokens,
    );
  }

  /** The page of `items` that `per_page` and `page` ask for; `maxPageSize` caps `per_page`. */
  private paginate<T>(url: URL, defaultPageSize: number, items: T[]): Page<T> {
    const perPage = Math.min(
      Number(url.searchParams.get('per_page') ?? defaultPageSize),
      100,
      this.maxPageSize,
    );
    const number = Number(url.searchParams.get('page') ?? 1);
    return {
      items: items.slice((number - 1) * perPage, number * perPage),
      number,
      perPage,
      total: items.length,
      pages: Math.max(1, Math.ceil(items.length / perPage)),
    };
  }
}

type Page<T> = {
  items: T[];
  number: number;
  perPage: number;
  total: number;
  pages: number;
};

/** `Link: <...>; rel="next", <...>; rel="last"`, and first/prev past page 1. */
function githubLinkHeader(
  url: URL,
  page: Page<unknown>,
): Record<string, string> {
  const pageUrl = (number: number) => {
    const link = new URL(url.href);
    link.searchParams.set('per_page', String(page.perPage));
    link.searchParams.set('page', String(number));
    return link.href;
  };
  const links = [
    ...(page.number < page.pages
      ? [
          `<${pageUrl(page.number + 1)}>; rel="next"`,
          `<${pageUrl(page.pages)}>; rel="last"`,
        ]
      : []),
    ...(page.number > 1
      ? [
          `<${pageUrl(1)}>; rel="first"`,
          `<${pageUrl(page.number - 1)}>; rel="prev"`,
        ]
      : []),
  ];
  return links.length > 0 ? { link: links.join(', ') } : {};
}

/** GitLab's offset pagination headers; `x-next-page` is empty on the last page. */
function gitlabPageHeaders(page: Page<unknown>): Record<string, string> {
  return {
    'x-page': String(page.number),
    'x-per-page': String(page.perPage),
    'x-next-page': page.number < page.pages ? String(page.number + 1) : '',
    'x-prev-page': page.number > 1 ? String(page.number - 1) : '',
    'x-total': String(page.total),
    'x-total-pages': String(page.pages),
  };
}

type GithubHookBody = {
  name?: string;
  active?: boolean;
  events?: string[];
  config?: {
    url?: string;
    content_type?: string;
    insecure_ssl?: string;
    secret?: string;
  };
};

type GitlabHookBody = {
  url?: string;
  token?: string;
  enable_ssl_verification?: boolean;
} & Record<string, unknown>;

function githubHook(hook: Repository['hooks'][number], hookApiUrl: string) {
  const url = `${hookApiUrl}/${hook.id}`;
  return {
    type: 'Repository',
    id: hook.id,
    name: 'web',
    active: hook.active,
    events: hook.events,
    config: {
      url: hook.url,
      content_type: hook.contentType,
      insecure_ssl: hook.verifiesSsl ? '0' : '1',
      // GitHub masks a secret that is set, and never shows it.
      ...(hook.secret ? { secret: '********' } : {}),
    },
    updated_at: hook.updatedAt,
    created_at: hook.createdAt,
    url,
    test_url: `${url}/test`,
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: { code: null, status: 'unused', message: null },
  };
}

function gitlabHook(hook: Repository['hooks'][number], projectId: number) {
  return {
    id: hook.id,
    url: hook.url,
    name: null,
    description: null,
    project_id: projectId,
    ...Object.fromEntries(
      GITLAB_EVENT_FLAGS.map(flag => [flag, hook.events.includes(flag)]),
    ),
    push_events_branch_filter: '',
    enable_ssl_verification: hook.verifiesSsl,
    alert_status: 'executable',
    disabled_until: null,
    created_at: hook.createdAt,
  };
}

function applyGitlabHookSettings(
  hook: Repository['hooks'][number],
  settings: GitlabHookBody,
): void {
  if (settings.url) {
    hook.url = settings.url;
  }
  if ('token' in settings) {
    hook.secret = settings.token;
  }
  if (typeof settings.enable_ssl_verification === 'boolean') {
    hook.verifiesSsl = settings.enable_ssl_verification;
  }
  for (const flag of GITLAB_EVENT_FLAGS) {
    if (settings[flag] === true && !hook.events.includes(flag)) {
      hook.events = [...hook.events, flag];
    }
    if (settings[flag] === false) {
      hook.events = hook.events.filter(event => event !== flag);
    }
  }
}

function githubValidationFailed(errors: object[]): Answer {
  return {
    status: 422,
    body: {
      message: 'Validation Failed',
      errors,
      documentation_url: GITHUB_DOCS,
      status: '422',
    },
  };
}

function allows(access: RepositoryAccess, needed: 'admin' | 'write'): boolean {
  return access === 'admin' || (needed === 'write' && access === 'write');
}

function key(provider: CodeHostProvider, path: string): string {
  return `${provider}:${path}`;
}

/** As both providers write times: ISO 8601 in UTC, without milliseconds. */
function timestamp(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** A request's body as text. */
export function readText(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', chunk => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function send(response: http.ServerResponse, answer: Answer): void {
  const body = answer.body === undefined ? '' : JSON.stringify(answer.body);
  response.writeHead(answer.status, {
    ...(body ? { 'content-type': 'application/json; charset=utf-8' } : {}),
    ...answer.headers,
  });
  response.end(body);
}

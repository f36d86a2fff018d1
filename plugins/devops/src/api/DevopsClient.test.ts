import { ResponseError } from '@backstage/errors';
import { DevopsClient } from './DevopsClient';

const baseUrl = 'http://localhost:7007/api/devops';

function setup(response: Response) {
  const fetch = jest.fn().mockResolvedValue(response);
  const client = new DevopsClient({
    discoveryApi: { getBaseUrl: jest.fn().mockResolvedValue(baseUrl) },
    fetchApi: { fetch },
  });
  return { client, fetch };
}

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });

describe('DevopsClient', () => {
  it('lists pipelines with the filters that are set', async () => {
    const page = { items: [], totalCount: 0 };
    const { client, fetch } = setup(json(page));

    await expect(
      client.listPipelines({
        entityRef: 'component:default/jack-2048',
        q: '',
        limit: 50,
      }),
    ).resolves.toEqual(page);

    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/pipelines?entityRef=component%3Adefault%2Fjack-2048&limit=50`,
      expect.objectContaining({ method: 'GET', body: undefined }),
    );
  });

  it('asks whether the user may create a pipeline, for an entity or for any', async () => {
    const { client, fetch } = setup(json({ allowed: false }));

    await expect(
      client.mayCreatePipeline('component:default/jack-2048'),
    ).resolves.toBe(false);
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/pipelines/create-permission?entityRef=component%3Adefault%2Fjack-2048`,
      expect.objectContaining({ method: 'GET' }),
    );
    fetch.mockResolvedValue(json({ allowed: true }));
    await expect(client.mayCreatePipeline()).resolves.toBe(true);
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/pipelines/create-permission`,
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('sends JSON bodies and escapes ids in paths', async () => {
    const { client, fetch } = setup(json({ id: 'r1', buildId: 3 }, 201));

    await client.runPipeline('a/b', { VERSION: '1.2' });

    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/pipelines/a%2Fb/runs`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ params: { VERSION: '1.2' } }),
    });
  });

  it('sends an import as YAML and reads an export as text', async () => {
    const yaml = 'apiVersion: devops.backstage.io/v1\n';
    const { client, fetch } = setup(new Response(yaml));

    await expect(client.exportPipeline('p1')).resolves.toBe(yaml);
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/pipelines/p1/export`,
      expect.objectContaining({ method: 'GET' }),
    );

    fetch.mockResolvedValue(json({ status: { id: 'p2' } }, 201));
    await client.importPipeline(yaml);
    expect(fetch).toHaveBeenLastCalledWith(`${baseUrl}/pipelines/import`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/yaml' },
      body: yaml,
    });
  });

  it('builds the log download URL without calling the backend', async () => {
    const { client, fetch } = setup(json({}));

    await expect(client.getLogDownloadUrl('run-1')).resolves.toBe(
      `${baseUrl}/runs/run-1/logs/download`,
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('throws a ResponseError carrying the backend message', async () => {
    const { client } = setup(
      json(
        {
          error: {
            name: 'ConflictError',
            message: 'pipeline changed since version 3',
          },
          request: { method: 'PUT', url: '/pipelines/p1' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );

    const error = await client.deletePipeline('p1').catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(409);
    expect(error.body.error.message).toBe('pipeline changed since version 3');
  });

  it("lists the portal's task types, and passes on the backend's refusal", async () => {
    const list = {
      items: [
        {
          type: 'example:verifyFiles',
          title: 'Verify files',
          description: 'Fails when a listed file is missing',
          fieldsSchema: { type: 'object', properties: {} },
          executors: ['local'],
          podResources: false,
          builtIn: false,
        },
      ],
    };
    const { client, fetch } = setup(json(list));

    await expect(client.listTaskTypes()).resolves.toEqual(list);
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/task-types`,
      expect.objectContaining({ method: 'GET' }),
    );

    fetch.mockResolvedValue(
      json(
        {
          error: { name: 'NotAllowedError', message: 'not allowed' },
          request: { method: 'GET', url: '/task-types' },
          response: { statusCode: 403 },
        },
        403,
      ),
    );
    const error = await client.listTaskTypes().catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.statusCode).toBe(403);
  });
});

describe('DevopsClient clusters', () => {
  const binding = {
    name: 'prod',
    namespace: 'devops-pipelines',
    scope: [],
    health: 'healthy',
    createdBy: 'user:default/jack',
    createdAt: '2026-11-30T08:00:00Z',
  };

  it('lists bindings and available clusters', async () => {
    const { client, fetch } = setup(json({ items: [binding], canBind: true }));

    await expect(client.listClusters()).resolves.toEqual({
      items: [binding],
      canBind: true,
    });
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/clusters`,
      expect.objectContaining({ method: 'GET' }),
    );

    const available = { name: 'staging', url: 'https://k8s', source: 'config' };
    fetch.mockResolvedValue(json({ items: [available] }));
    await expect(client.listAvailableClusters()).resolves.toEqual([available]);
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/clusters/available`,
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('binds with a JSON body', async () => {
    const { client, fetch } = setup(json(binding, 201));

    await expect(
      client.bindCluster({ name: 'prod', scope: ['group:default/team-a'] }),
    ).resolves.toEqual(binding);
    expect(fetch).toHaveBeenCalledWith(`${baseUrl}/clusters`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'prod', scope: ['group:default/team-a'] }),
    });
  });

  it('unbinds, forcing only when asked, and passes on the pipelines of a 409', async () => {
    const { client, fetch } = setup(new Response(null, { status: 204 }));

    await client.unbindCluster('a/b', { force: true });
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/clusters/a%2Fb?force=true`,
      expect.objectContaining({ method: 'DELETE' }),
    );

    const pipelines = [
      {
        id: 'p1',
        name: 'deploy',
        entityRef: 'component:default/shop',
        uses: ['runs'],
      },
    ];
    fetch.mockResolvedValue(
      json(
        {
          error: { name: 'ConflictError', message: 'in use', pipelines },
          request: { method: 'DELETE', url: '/clusters/prod' },
          response: { statusCode: 409 },
        },
        409,
      ),
    );
    const error = await client.unbindCluster('prod').catch(e => e);
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/clusters/prod`,
      expect.objectContaining({ method: 'DELETE' }),
    );
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.pipelines).toEqual(pipelines);
  });
});

describe('DevopsClient log stream', () => {
  const sse = (body: string) =>
    new Response(body, {
      headers: { 'Content-Type': 'text/event-stream' },
    });
  const logEvent = (seq: number, text: string, taskId = 't1') =>
    `id: ${seq}\nevent: log\ndata: ${JSON.stringify({
      seq,
      taskId,
      text,
    })}\n\n`;
  const endEvent = (status: string) =>
    `event: end\ndata: ${JSON.stringify({ status })}\n\n`;

  /** A fetch API that signs requests, as the app's does, and records them. */
  function signingFetchApi(...responses: Response[]) {
    const requests: Request[] = [];
    const fetch = jest.fn(
      async (input: RequestInfo | URL, init?: RequestInit) => {
        const request = new Request(input, init);
        request.headers.set('Authorization', 'Bearer user-token');
        requests.push(request);
        const response = responses.shift();
        if (!response) throw new TypeError('Failed to fetch');
        return response;
      },
    );
    const client = new DevopsClient({
      discoveryApi: { getBaseUrl: jest.fn().mockResolvedValue(baseUrl) },
      fetchApi: { fetch },
    });
    return { client, fetch, requests };
  }

  afterEach(() => {
    jest.useRealTimers();
  });

  it('reads the events through the app fetch, which carries the token', async () => {
    const globalFetch = jest.spyOn(global, 'fetch');
    const { client, requests } = signingFetchApi(
      sse(
        `${logEvent(
          4,
          '2026-11-21T09:00:05Z hello\n',
        )}: keepalive\n\n${logEvent(
          5,
          '2026-11-21T09:00:06Z world\n',
        )}${endEvent('succeeded')}`,
      ),
    );
    const onChunk = jest.fn();
    const onEnd = jest.fn();

    await client.streamRunLog('run 1', {
      step: 't1',
      after: 3,
      onChunk,
      onEnd,
    });

    expect(requests).toHaveLength(1);
    expect(requests[0].url).toBe(
      `${baseUrl}/runs/run%201/logs?follow=true&task=t1&after=3`,
    );
    expect(requests[0].headers.get('Accept')).toBe('text/event-stream');
    expect(requests[0].headers.get('Authorization')).toBe('Bearer user-token');
    expect(globalFetch).not.toHaveBeenCalled();
    expect(onChunk.mock.calls).toEqual([
      [{ seq: 4, taskId: 't1', text: '2026-11-21T09:00:05Z hello\n' }],
      [{ seq: 5, taskId: 't1', text: '2026-11-21T09:00:06Z world\n' }],
    ]);
    expect(onEnd).toHaveBeenCalledWith('succeeded');
    globalFetch.mockRestore();
  });

  it('reconnects after a drop, resuming after the last chunk received', async () => {
    jest.useFakeTimers();
    const { client, requests } = signingFetchApi(
      // The connection ends without an `end` event, as when a proxy cuts it.
      sse(logEvent(7, 'a\n') + logEvent(8, 'b\n')),
      // Then the network is down for one attempt.
      new Response('bad gateway', { status: 502 }),
      sse(logEvent(9, 'c\n') + endEvent('failed')),
    );
    const onChunk = jest.fn();
    const onEnd = jest.fn();
    const onReconnecting = jest.fn();

    const done = client.streamRunLog('r1', {
      after: 6,
      onChunk,
      onEnd,
      onReconnecting,
    });
    await jest.advanceTimersByTimeAsync(1000);
    expect(requests).toHaveLength(2);
    await jest.advanceTimersByTimeAsync(2000);
    await done;

    expect(requests).toHaveLength(3);
    expect(requests[0].headers.get('Last-Event-ID')).toBeNull();
    expect(requests[1].headers.get('Last-Event-ID')).toBe('8');
    expect(requests[2].headers.get('Last-Event-ID')).toBe('8');
    expect(requests[2].headers.get('Authorization')).toBe('Bearer user-token');
    expect(onChunk.mock.calls.map(([chunk]) => chunk.seq)).toEqual([7, 8, 9]);
    expect(onReconnecting).toHaveBeenCalledTimes(2);
    expect(onEnd).toHaveBeenCalledWith('failed');
  });

  it('gives up on a refusal that a retry would not change', async () => {
    const { client, requests } = signingFetchApi(
      json(
        {
          error: { name: 'NotFoundError', message: 'No run with id r1' },
          response: { statusCode: 404 },
        },
        404,
      ),
    );
    const onReconnecting = jest.fn();

    const error = await client
      .streamRunLog('r1', { onChunk: jest.fn(), onReconnecting })
      .catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe('No run with id r1');
    expect(requests).toHaveLength(1);
    expect(onReconnecting).not.toHaveBeenCalled();
  });

  it('resolves when aborted, and opens nothing when aborted before', async () => {
    const { client, fetch } = signingFetchApi();
    const controller = new AbortController();
    controller.abort();

    await client.streamRunLog('r1', {
      signal: controller.signal,
      onChunk: jest.fn(),
    });

    expect(fetch).not.toHaveBeenCalled();
  });

  it("follows a run's statuses to its end, starting over after a drop", async () => {
    jest.useFakeTimers();
    const runEvent = (status: string) =>
      `event: run\ndata: ${JSON.stringify({ id: 'r1', status })}\n\n`;
    const { client, requests } = signingFetchApi(
      // The connection ends while the run goes on, as when a replica restarts.
      sse(`${runEvent('queued')}: keepalive\n\n${runEvent('running')}`),
      sse(runEvent('running') + runEvent('succeeded')),
    );
    const onRun = jest.fn();
    const onReconnecting = jest.fn();

    const done = client.followRun('r1', { onRun, onReconnecting });
    await jest.advanceTimersByTimeAsync(1000);
    await done;

    expect(requests.map(r => r.url)).toEqual([
      `${baseUrl}/runs/r1?follow=true`,
      `${baseUrl}/runs/r1?follow=true`,
    ]);
    expect(requests[1].headers.get('Authorization')).toBe('Bearer user-token');
    expect(onRun.mock.calls.map(([run]) => run.status)).toEqual([
      'queued',
      'running',
      'running',
      'succeeded',
    ]);
    expect(onReconnecting).toHaveBeenCalledTimes(1);
  });

  it('downloads the full log through the app fetch', async () => {
    const { client, fetch } = setup(new Response('[build] done\n'));

    await expect(client.downloadRunLog('r1')).resolves.toBe('[build] done\n');
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/runs/r1/logs/download`,
      expect.objectContaining({ method: 'GET' }),
    );
  });
});

describe('DevopsClient code host lists', () => {
  const via = {
    kind: 'account',
    accountId: 'account-1',
    login: 'octocat',
    baseUrl: 'https://github.com',
  };

  it('lists repositories a page at a time, searching only when there is text', async () => {
    const page = { items: [], page: 2, via };
    const { client, fetch } = setup(json(page));

    await expect(
      client.listRepositories('github', { search: 'jack', page: 2 }),
    ).resolves.toEqual(page);
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/repositories/github/repos?search=jack&page=2`,
      expect.objectContaining({ method: 'GET' }),
    );

    fetch.mockResolvedValue(json(page));
    await client.listRepositories('gitlab', { search: '' });
    expect(fetch).toHaveBeenLastCalledWith(
      `${baseUrl}/repositories/gitlab/repos`,
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('lists the branches of a repository given by its URL', async () => {
    const page = { items: [{ name: 'main' }], page: 1, nextPage: 2, via };
    const { client, fetch } = setup(json(page));

    await expect(
      client.listBranches('github', 'https://github.com/jack/2048.git', {
        search: 'feat',
      }),
    ).resolves.toEqual(page);
    expect(fetch).toHaveBeenCalledWith(
      `${baseUrl}/repositories/github/branches?repository=${encodeURIComponent(
        'https://github.com/jack/2048.git',
      )}&search=feat`,
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it("passes on the backend's reason when no credentials can list", async () => {
    const message =
      'No credentials for gitlab.com: connect your GitLab account on the Repositories page';
    const { client } = setup(
      json(
        {
          error: { name: 'InputError', message },
          request: { method: 'GET', url: '/repositories/gitlab/repos' },
          response: { statusCode: 400 },
        },
        400,
      ),
    );

    const error = await client.listRepositories('gitlab').catch(e => e);

    expect(error).toBeInstanceOf(ResponseError);
    expect(error.body.error.message).toBe(message);
  });
});

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
});

import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { stringify as toYaml } from 'yaml';
import {
  deleteTestNamespace,
  eventually,
  useTestCluster,
} from '../../kubernetes/__testUtils__/testCluster';
import {
  pipelineDocument,
  uniqueName,
} from '../../router/__testUtils__/devopsTestBackend';
import {
  demoPortalConfig,
  devopsClient,
  type Reply,
} from '../../__testUtils__/wholeStack/demoPortal';
import { startWholeStackBackend } from '../../__testUtils__/wholeStack/wholeStackBackend';

jest.setTimeout(120_000);

const ROOT = path.resolve(__dirname, '../../../../..');
const JACK = 'component:default/jack-2048';
/** Owned by platform-team, a project none of the three joined. */
const PAYMENTS = 'component:default/payments-api';
/** The demo's three roles (examples/org.yaml), as the README names them. */
const ADA = 'user:default/ada';
const PAT = 'user:default/pat';
const NORA = 'user:default/nora';

type Client = (method: string, route: string, body?: unknown) => Promise<Reply>;

/*
 * SPEC §9, every cell, through the HTTP API of the portal as an adopter installs it: the
 * demo's catalog (examples/), real Backstage tokens from the auth backend, the permission
 * backend deciding with the default policy, and the local control plane for clusters.
 * Only the identity provider is a stand-in (wholeStackBackend.ts).
 */
describe('SPEC §9 through the whole stack, as the demo users', () => {
  const workspaceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'role-matrix-'));
  const namespaces = [0, 1].map(i => `role-matrix-${process.pid}-${i}`);
  let stack: Awaited<ReturnType<typeof startWholeStackBackend>>;
  const as: Record<string, Client> = {};
  /** The fixtures' ids: who created which pipeline for which project. */
  const id: Record<string, string> = {};

  const clientFor = async (userRef: string): Promise<Client> =>
    devopsClient(stack, (await stack.signIn(userRef)).token);

  const created = async (reply: Promise<Reply>): Promise<Pipeline> => {
    const { status, body } = await reply;
    if (status !== 201) {
      throw new Error(`expected 201, got ${status}: ${JSON.stringify(body)}`);
    }
    return body;
  };
  const statusOf = async (reply: Promise<Reply>) => (await reply).status;
  const namesSeen = async (client: Client) =>
    (await client('GET', '/pipelines?limit=200')).body.items
      .map((p: Pipeline) => p.metadata.name)
      .sort();
  const edit = async (client: Client, key: string) => {
    const { body: pipeline } = await as.ada('GET', `/pipelines/${id[key]}`);
    const { status: _status, ...document } = pipeline;
    return client('PUT', `/pipelines/${id[key]}`, {
      ...document,
      metadata: { ...document.metadata, title: uniqueName('renamed') },
      version: pipeline.status.version,
    });
  };

  beforeAll(async () => {
    const cluster = await useTestCluster();
    // Two clusters the portal knows, both the local control plane under other names.
    const kubeconfig = cluster.kubeConfig.exportConfig();
    const parsed = JSON.parse(kubeconfig);
    const context = parsed.contexts[0].context;
    parsed.contexts = ['portal-cluster', 'web-cluster', 'spare-cluster'].map(
      name => ({ name, context }),
    );
    const kubeconfigPath = path.join(workspaceDir, 'kubeconfig');
    fs.writeFileSync(kubeconfigPath, toYaml(parsed));

    stack = await startWholeStackBackend(
      demoPortalConfig({
        workspaceDir,
        devops: {
          kubernetes: { kubeconfig: kubeconfigPath },
          // As in the demo: nora cannot create, so the pipeline she made is seeded.
          seed: {
            directories: [
              {
                path: path.join(ROOT, 'examples/pipelines/nora'),
                createdBy: NORA,
              },
            ],
          },
        },
      }),
    );

    // The catalog ingests the demo's users and groups in the background.
    let lastClaims = '';
    await eventually(
      "the catalog's users and groups",
      async () => {
        const claims = [
          ...((await stack.signIn(PAT).catch(() => undefined))
            ?.ownershipEntityRefs ?? []),
          ...((await stack.signIn(ADA).catch(() => undefined))
            ?.ownershipEntityRefs ?? []),
        ];
        lastClaims = claims.join(', ');
        return claims.includes('group:default/web-team') &&
          claims.includes('group:default/platform-admins')
          ? true
          : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 500, describeLast: () => lastClaims },
    );
    for (const user of [ADA, PAT, NORA]) {
      as[user.split('/')[1]] = await clientFor(user);
    }
    // The pipelines' project owners are read from the catalog too.
    await eventually(
      "jack-2048's owner in the catalog",
      async () =>
        (
          await as.pat('GET', `/pipelines/create-permission?entityRef=${JACK}`)
        ).body.allowed || undefined,
      { timeoutMs: 60_000, intervalMs: 500 },
    );

    const fixtures: Array<[string, Client, string]> = [
      ['ada-payments', as.ada, PAYMENTS],
      ['ada-jack', as.ada, JACK],
      ['pat-jack', as.pat, JACK],
    ];
    for (const [key, client, entityRef] of fixtures) {
      const pipeline = await created(
        client(
          'POST',
          '/pipelines',
          // Runs long enough to be stopped.
          pipelineDocument({ name: key, entityRef, scripts: ['sleep 60'] }),
        ),
      );
      id[key] = pipeline.status.id;
    }
    const seeded = (await as.ada('GET', '/pipelines?q=nora-smoke-2048')).body
      .items[0];
    id['nora-smoke-2048'] = seeded.status.id;
  });

  afterAll(async () => {
    await stack?.stop();
    const cluster = await useTestCluster();
    for (const namespace of namespaces) {
      await deleteTestNamespace(cluster.kubeConfig, namespace);
    }
    fs.rmSync(workspaceDir, { recursive: true, force: true });
  });

  it('the tokens are real: a forged one and none are refused', async () => {
    const forged = await fetch(`${stack.baseUrl}/api/devops/pipelines`, {
      headers: { Authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' },
    });
    expect(forged.status).toBe(401);
    expect((await fetch(`${stack.baseUrl}/api/devops/pipelines`)).status).toBe(
      401,
    );
  });

  it('view pipelines: admin all, project manager their projects, normal user what they created', async () => {
    const all = ['ada-jack', 'ada-payments', 'nora-smoke-2048', 'pat-jack'];
    expect(await namesSeen(as.ada)).toEqual(all);
    expect(await namesSeen(as.pat)).toEqual([
      'ada-jack',
      'nora-smoke-2048',
      'pat-jack',
    ]);
    expect(await namesSeen(as.nora)).toEqual(['nora-smoke-2048']);

    expect(
      await statusOf(as.pat('GET', `/pipelines/${id['ada-payments']}`)),
    ).toBe(404);
    expect(await statusOf(as.nora('GET', `/pipelines/${id['ada-jack']}`))).toBe(
      404,
    );
    expect(
      await statusOf(as.nora('GET', `/pipelines/${id['nora-smoke-2048']}`)),
    ).toBe(200);
  });

  it('create from scratch: admin any project, project manager their projects, normal user none', async () => {
    const create = (client: Client, entityRef: string) =>
      client('POST', '/pipelines', pipelineDocument({ entityRef }));

    expect(await statusOf(create(as.ada, PAYMENTS))).toBe(201);
    expect(await statusOf(create(as.pat, JACK))).toBe(201);
    const refused = await create(as.pat, PAYMENTS);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      `You are not allowed to create pipelines for ${PAYMENTS}`,
    );
    expect(await statusOf(create(as.nora, JACK))).toBe(403);
    // What the pages ask before they offer Create: for jack-2048, and for any entity.
    const mayCreate = async (client: Client, query = '') =>
      (await client('GET', `/pipelines/create-permission${query}`)).body
        .allowed;
    expect(await mayCreate(as.ada)).toBe(true);
    expect(await mayCreate(as.pat)).toBe(true);
    expect(await mayCreate(as.pat, `?entityRef=${PAYMENTS}`)).toBe(false);
    // Her projects are the entities she owns herself: none.
    expect(await mayCreate(as.nora)).toBe(false);
    expect(await mayCreate(as.nora, `?entityRef=${JACK}`)).toBe(false);
  });

  it('copy from existing: admin all, project manager their projects, normal user none', async () => {
    const copy = (client: Client, key: string) =>
      client('POST', `/pipelines/${id[key]}/copy`, { name: uniqueName(key) });

    expect(await statusOf(copy(as.ada, 'pat-jack'))).toBe(201);
    expect(await statusOf(copy(as.ada, 'ada-payments'))).toBe(201);
    expect(await statusOf(copy(as.pat, 'ada-jack'))).toBe(201);
    expect(await statusOf(copy(as.pat, 'ada-payments'))).toBe(404);
    expect(await statusOf(copy(as.nora, 'nora-smoke-2048'))).toBe(403);
  });

  it('run / stop: admin all, project manager their projects, normal user none', async () => {
    const runAndStop = async (client: Client, key: string) => {
      const run = await client('POST', `/pipelines/${id[key]}/runs`, {});
      if (run.status !== 201) return run.status;
      return statusOf(client('POST', `/runs/${run.body.id}/stop`));
    };

    expect(await runAndStop(as.ada, 'pat-jack')).toBe(200);
    expect(await runAndStop(as.ada, 'ada-payments')).toBe(200);
    expect(await runAndStop(as.pat, 'ada-jack')).toBe(200);
    expect(await runAndStop(as.pat, 'ada-payments')).toBe(404);
    expect(await runAndStop(as.nora, 'nora-smoke-2048')).toBe(403);

    // Nor may she stop or re-run a run of her pipeline that someone else started.
    const run = await as.ada(
      'POST',
      `/pipelines/${id['nora-smoke-2048']}/runs`,
      {},
    );
    expect(await statusOf(as.nora('POST', `/runs/${run.body.id}/stop`))).toBe(
      403,
    );
    expect(
      await statusOf(as.nora('POST', `/runs/${run.body.id}/rerun`, {})),
    ).toBe(403);
  });

  it('edit pipeline, triggers and advanced settings: only what they created; a normal user nothing', async () => {
    const triggers = (client: Client, key: string) =>
      client('PUT', `/pipelines/${id[key]}/triggers`, {
        schedule: { every: 'day', time: '02:00' },
      });
    const settings = (client: Client, key: string) =>
      client('PUT', `/pipelines/${id[key]}/settings`, { timeoutMinutes: 30 });

    for (const [what, change] of [
      ['edit', edit],
      ['triggers', triggers],
      ['settings', settings],
    ] as const) {
      const outcome = async (client: Client, key: string) =>
        `${what} ${key}: ${await statusOf(change(client, key))}`;
      expect(await outcome(as.ada, 'ada-payments')).toBe(
        `${what} ada-payments: 200`,
      );
      expect(await outcome(as.ada, 'pat-jack')).toBe(`${what} pat-jack: 403`);
      expect(await outcome(as.pat, 'pat-jack')).toBe(`${what} pat-jack: 200`);
      expect(await outcome(as.pat, 'ada-jack')).toBe(`${what} ada-jack: 403`);
      expect(await outcome(as.nora, 'nora-smoke-2048')).toBe(
        `${what} nora-smoke-2048: 403`,
      );
    }
  });

  it('activate / deactivate: admin all, project manager their projects, normal user none', async () => {
    const toggle = async (client: Client, key: string) => {
      const off = await statusOf(
        client('POST', `/pipelines/${id[key]}/deactivate`),
      );
      const on = await statusOf(
        client('POST', `/pipelines/${id[key]}/activate`),
      );
      return [off, on];
    };

    expect(await toggle(as.ada, 'pat-jack')).toEqual([200, 200]);
    expect(await toggle(as.pat, 'ada-jack')).toEqual([200, 200]);
    expect(await toggle(as.pat, 'ada-payments')).toEqual([404, 404]);
    expect(await toggle(as.nora, 'nora-smoke-2048')).toEqual([403, 403]);
  });

  it('delete: admin all, project manager their projects, normal user none', async () => {
    const copyOf = async (key: string) =>
      (
        await created(
          as.ada('POST', `/pipelines/${id[key]}/copy`, {
            name: uniqueName(key),
          }),
        )
      ).status.id;
    const remove = (client: Client, pipelineId: string) =>
      statusOf(client('DELETE', `/pipelines/${pipelineId}`));

    expect(await remove(as.ada, id['pat-jack'])).toBe(204);
    expect(await remove(as.pat, await copyOf('ada-jack'))).toBe(204);
    expect(await remove(as.pat, await copyOf('ada-payments'))).toBe(404);
    expect(await remove(as.nora, id['nora-smoke-2048'])).toBe(403);
  });

  it('code repositories: every user views, sets up and logs out of their own accounts', async () => {
    for (const client of [as.ada, as.pat, as.nora]) {
      expect(await client('GET', '/repositories/accounts')).toEqual({
        status: 200,
        body: { items: [] },
      });
      expect(
        await statusOf(client('GET', '/repositories/github/registration')),
      ).toBe(200);
      const connect = await client('POST', '/repositories/github/connect', {
        clientId: 'client-id',
        clientSecret: 'client-secret',
      });
      expect(connect.status).toBe(200);
      expect(await statusOf(client('DELETE', '/repositories/github'))).toBe(
        204,
      );
    }
  });

  it('clusters: admin all, project manager the bindings of their groups, normal user none', async () => {
    const bind = (
      client: Client,
      name: string,
      scope: string[],
      namespace = namespaces[0],
    ) => statusOf(client('POST', '/clusters', { name, scope, namespace }));
    const seen = async (client: Client) => {
      const reply = await client('GET', '/clusters');
      return reply.status === 200
        ? reply.body.items.map((b: { name: string }) => b.name).sort()
        : reply.status;
    };

    // Add: the admin for the whole portal, the project manager for his team only.
    expect(await bind(as.ada, 'portal-cluster', [])).toBe(201);
    expect(await bind(as.pat, 'spare-cluster', [])).toBe(403);
    expect(await bind(as.nora, 'spare-cluster', ['web-team'])).toBe(403);
    expect(await bind(as.pat, 'web-cluster', ['web-team'], namespaces[1])).toBe(
      201,
    );

    // View.
    expect(await seen(as.ada)).toEqual(['portal-cluster', 'web-cluster']);
    expect(await seen(as.pat)).toEqual(['web-cluster']);
    expect(await seen(as.nora)).toBe(403);

    // Remove.
    const unbind = (client: Client, name: string) =>
      statusOf(client('DELETE', `/clusters/${name}?force=true`));
    expect(await unbind(as.nora, 'web-cluster')).toBe(403);
    expect(await unbind(as.pat, 'portal-cluster')).toBe(403);
    expect(await unbind(as.pat, 'web-cluster')).toBe(204);
    expect(await unbind(as.ada, 'portal-cluster')).toBe(204);
  });
});

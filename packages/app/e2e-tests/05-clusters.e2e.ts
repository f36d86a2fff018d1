/*
 * The Clusters page and a run on a bound cluster: bind the cluster the portal knows (the
 * local control plane of scripts/k8s, whose kubeconfig scripts/test.sh gives the portal)
 * for the platform team only, run a pipeline of payments-api (owned by that team) as pods
 * on it, and unbind it again with the warning that a pipeline uses it. The jack-2048
 * pipelines of the other tests stay on the local executor: the binding is scoped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  deletePipelines,
  eventually,
  gotoApp,
  openSession,
  pipelineDocument,
  screenshot,
  uniqueName,
  type Session,
} from './lib/harness';
import { confirmDialog } from './lib/list';
import { runPath, shownLog, waitForRunEnd, waitForShownStatus } from './lib/run';

const TEAM = 'group:default/platform-team';
const ENTITY = 'component:default/payments-api';

type Binding = { name: string; health: string; healthMessage?: string };

describe('clusters', () => {
  let session: Session;
  let cluster: string;
  const created: string[] = [];

  before(async () => {
    session = await openSession();
    const available: { name: string }[] = (await session.api('GET', '/clusters/available')).items;
    const bound: Binding[] = (await session.api('GET', '/clusters')).items;
    // A portal reused from an earlier test run may still have the binding.
    for (const binding of bound) {
      await session.api('DELETE', `/clusters/${encodeURIComponent(binding.name)}?force=true`);
    }
    const known = [...available.map(c => c.name), ...bound.map(b => b.name)];
    assert.ok(
      known.length > 0,
      'the portal knows no Kubernetes cluster: start it with APP_CONFIG_devops_kubernetes_kubeconfig set (scripts/test.sh does)',
    );
    cluster = known[0];
  });

  after(async () => {
    if (session) {
      await deletePipelines(session, created);
      await session
        .api('DELETE', `/clusters/${encodeURIComponent(cluster)}?force=true`, undefined, {
          expect: [204, 404],
        })
        .catch(() => {});
    }
    await session?.close();
  });

  test('binds a cluster for one team on the Clusters page; it is healthy', async () => {
    const { page } = session;
    await gotoApp(page, '/devops/clusters');
    await page.getByText('No cluster bound').first().waitFor();
    await page.getByRole('button', { name: 'Bind cluster' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Cluster').click();
    await page.getByRole('option', { name: new RegExp(`^${cluster}\\b`) }).click();
    await dialog.getByLabel('Scope').fill(TEAM);
    await confirmDialog(page, 'Bind');
    const row = page.getByTestId(`cluster-row-${cluster}`);
    await row.waitFor();
    await eventually('the binding to be healthy', async () => {
      const [binding]: Binding[] = (await session.api('GET', '/clusters')).items;
      return binding?.health === 'healthy';
    });
    assert.match((await row.textContent()) ?? '', new RegExp(TEAM));
  });

  test("a pipeline of the team's component runs as pods on the cluster", async () => {
    const { page } = session;
    const name = uniqueName('e2e-cluster');
    const pipeline = await session.api(
      'POST',
      '/pipelines',
      pipelineDocument(name, [{ name: 'Build', tasks: [{ name: 'compile', script: 'make' }] }], {
        title: 'Build on the cluster',
        entityRef: ENTITY,
      }),
    );
    created.push(pipeline.status.id);
    const run = await session.api('POST', `/pipelines/${pipeline.status.id}/runs`, { params: {} });
    await gotoApp(page, runPath('/devops', run.id));
    await page.getByTestId('run-log').first().waitFor();
    const ended = await waitForRunEnd(session, run.id);
    assert.equal(ended.status, 'succeeded', `the run ended ${ended.status}: ${ended.message ?? ''}`);
    await waitForShownStatus(page, 'succeeded');
    await page.getByTestId('run-task-0-0').click();
    // The executor's own lines and the kubelet's events of the pod, from the real API server.
    const log = await eventually('the pod lines in the task log', async () => {
      const text = await shownLog(page);
      return /Created pod/.test(text) && /Started/.test(text) ? text : undefined;
    });
    assert.match(log, new RegExp(`on cluster ${cluster}`));
    await screenshot(page, 'run-on-cluster.png');
  });

  test('unbinding warns that a pipeline uses the cluster, then unbinds', async () => {
    const { page } = session;
    await gotoApp(page, '/devops/clusters');
    await page.getByTestId(`cluster-row-${cluster}`).waitFor();
    await screenshot(page, 'clusters.png');
    await page.getByRole('button', { name: `Unbind ${cluster}` }).click();
    await confirmDialog(page, 'Unbind');
    const users = page.getByRole('list', { name: 'Pipelines using the cluster' });
    await eventually('the warning to list the pipeline', async () =>
      /Build on the cluster/.test((await users.textContent()) ?? ''),
    );
    await confirmDialog(page, 'Unbind anyway');
    await page.getByText('No cluster bound').first().waitFor();
  });
});

/*
 * The pipelines list: the /devops page, the Pipelines tab of jack-2048 (with the demo
 * pipelines from examples/pipelines), an entity without pipelines, and running a demo
 * pipeline with the row's Run action.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ENTITY_REF,
  ENTITY_TAB,
  deletePipelines,
  eventually,
  gotoApp,
  openSession,
  pipelineDocument,
  screenshot,
  uniqueName,
  type Session,
} from './lib/harness';
import { confirmDialog, entityTab, pipelineRow, rowAction } from './lib/list';

describe('pipelines list', () => {
  let session: Session;
  const created: string[] = [];
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    if (session) await deletePipelines(session, created);
    await session?.close();
  });

  test('the DevOps page lists the demo pipelines', async () => {
    const { page } = session;
    await gotoApp(page, '/devops');
    await pipelineRow(page, 'hello-2048').waitFor();
    await pipelineRow(page, 'build-2048').waitFor();
    assert.ok(
      await pipelineRow(page, 'hello-2048')
        .getByText('Build and test the 2048 game')
        .isVisible(),
      'hello-2048 shows its title',
    );
    // build-2048 checks out the demo repository.
    assert.ok(
      await pipelineRow(page, 'build-2048')
        .getByText(/jack-2048\.git/)
        .isVisible(),
      'build-2048 shows its code source',
    );
  });

  test("jack-2048's Pipelines tab shows its two pipelines", async () => {
    const { page } = session;
    await gotoApp(page, ENTITY_TAB);
    await pipelineRow(page, 'hello-2048').waitFor();
    await pipelineRow(page, 'build-2048').waitFor();
    // The entity page's tabs are links; the open one is the current page.
    const tab = entityTab(page, 'Pipelines');
    assert.equal(await tab.getAttribute('aria-current'), 'page');
    const { items } = await session.api(
      'GET',
      `/pipelines?entityRef=${encodeURIComponent(ENTITY_REF)}`,
    );
    const names = items.map((p: any) => p.metadata.name).sort();
    assert.ok(names.includes('hello-2048') && names.includes('build-2048'));
  });

  test('payments-api has no pipelines and no Pipelines tab', async () => {
    const { page } = session;
    const { items, totalCount } = await session.api(
      'GET',
      `/pipelines?entityRef=${encodeURIComponent(
        'component:default/payments-api',
      )}`,
    );
    assert.equal(totalCount, 0);
    assert.equal(items.length, 0);
    await gotoApp(page, '/catalog/default/component/payments-api');
    await entityTab(page, 'Overview').waitFor();
    await page.getByText('Payments API').first().waitFor();
    // The tab is offered only to entities annotated devops.backstage.io/pipelines, which
    // payments-api is not, so the list's empty state cannot be reached from its page.
    assert.equal(await entityTab(page, 'Pipelines').count(), 0);
  });

  test('runs hello-2048 with the Run action of its row', async () => {
    const { page } = session;
    const { items } = await session.api('GET', '/pipelines?q=hello-2048');
    const hello = items.find((p: any) => p.metadata.name === 'hello-2048');
    assert.ok(hello, 'hello-2048 exists');
    const buildIdBefore = hello.status.lastRun?.buildId ?? 0;

    await gotoApp(page, ENTITY_TAB);
    await rowAction(page, 'hello-2048', 'Run').click();
    // The list asks first.
    await confirmDialog(page, 'Run');
    await page
      .getByText(/Started run #\d+/)
      .or(page.getByTestId('run-status'))
      .first()
      .waitFor();

    const run = await eventually('a new run of hello-2048', async () => {
      const { items: runs } = await session.api(
        'GET',
        `/pipelines/${hello.status.id}/runs?limit=1`,
      );
      return runs[0]?.buildId > buildIdBefore ? runs[0] : undefined;
    });
    const finished = await eventually(
      `run #${run.buildId} to finish`,
      async () => {
        const r = await session.api('GET', `/runs/${run.id}`);
        return ['succeeded', 'failed', 'stopped', 'timedOut'].includes(r.status)
          ? r
          : undefined;
      },
      60_000,
    );
    assert.equal(finished.status, 'succeeded');
    // The list shows the outcome once read again (it is left and opened again).
    await gotoApp(page, '/devops');
    await pipelineRow(page, 'hello-2048').waitFor();
    await gotoApp(page, ENTITY_TAB);
    await pipelineRow(page, 'hello-2048').getByText('Succeeded').waitFor();
    await pipelineRow(page, 'hello-2048')
      .getByText(`#${run.buildId}`, { exact: false })
      .waitFor();
  });

  test('screenshot of the entity tab', async () => {
    const { page } = session;
    await gotoApp(page, ENTITY_TAB);
    await pipelineRow(page, 'hello-2048').waitFor();
    await pipelineRow(page, 'build-2048').waitFor();
    await screenshot(page, 'entity-tab.png');
  });

  test("jack-2048's overview card shows each pipeline's latest run and links to the tab", async () => {
    const { page } = session;
    await gotoApp(page, ENTITY_TAB.replace(/\/pipelines$/, ''));
    const hello = page.getByTestId('entity-pipeline-hello-2048');
    // hello-2048 ran in the test before: its latest run, linked to the run's page.
    await hello.getByTestId('latest-run-status').waitFor();
    assert.equal(
      await hello.getByTestId('latest-run-status').getAttribute('data-status'),
      'succeeded',
    );
    await page.getByTestId('entity-pipeline-build-2048').waitFor();
    await screenshot(page, 'entity-card.png');
    await page.getByRole('link', { name: /View all/ }).click();
    await eventually('the Pipelines tab to open', async () =>
      new URL(page.url()).pathname === ENTITY_TAB ? true : undefined,
    );
    await pipelineRow(page, 'hello-2048').waitFor();
  });

  test('opens a pipeline in the editor from the row menu', async () => {
    const { page } = session;
    await gotoApp(page, ENTITY_TAB);
    await page
      .getByRole('button', { name: 'More actions for hello-2048', exact: true })
      .click();
    await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
    // In the entity's tab, which is itself Pipelines, a pipeline is right under it.
    await page.waitForURL(
      url =>
        url.pathname.startsWith(`${ENTITY_TAB}/`) &&
        /^\/[^/]+\/edit$/.test(url.pathname.slice(ENTITY_TAB.length)),
    );
    await page.getByTestId('pipeline-canvas').waitFor();
    // hello-2048: Build (compile), Test (unit-tests, lint).
    await page.getByTestId('task-1-1').waitFor();
    assert.match(
      (await page.getByTestId('stage-0').textContent()) ?? '',
      /Build/,
    );
    assert.match(
      (await page.getByTestId('task-0-0').textContent()) ?? '',
      /compile/,
    );
    assert.match(
      (await page.getByTestId('task-1-1').textContent()) ?? '',
      /lint/,
    );
    await page.getByRole('button', { name: 'Cancel', exact: true }).click();
    await page.waitForURL(url => !url.pathname.endsWith('/edit'));
  });

  test('stops a long run with the Stop action of its row', async () => {
    const { page } = session;
    const name = uniqueName('e2e-row-stop');
    const pipeline = await session.api(
      'POST',
      '/pipelines',
      pipelineDocument(name, [
        {
          name: 'Wait',
          tasks: [{ name: 'sleep', script: 'echo "sleeping"\nsleep 60' }],
        },
      ]),
    );
    created.push(pipeline.status.id);
    await gotoApp(page, '/devops');
    await gotoApp(page, ENTITY_TAB);
    await rowAction(page, name, 'Run').click();
    await confirmDialog(page, 'Run');
    const stop = rowAction(page, name, 'Stop');
    await stop.waitFor();
    const run = await eventually('the run to start', async () => {
      const { items } = await session.api(
        'GET',
        `/pipelines/${pipeline.status.id}/runs?limit=1`,
      );
      return items[0]?.status === 'running' ? items[0] : undefined;
    });
    await stop.click();
    await confirmDialog(page, 'Stop');
    const stopped = await eventually(
      'the run to stop',
      async () => {
        const r = await session.api('GET', `/runs/${run.id}`);
        return r.status === 'stopped' ? r : undefined;
      },
      20_000,
    );
    assert.equal(stopped.status, 'stopped');
    await eventually(
      'the row to show the stopped run',
      async () => {
        await gotoApp(page, '/devops');
        await gotoApp(page, ENTITY_TAB);
        await pipelineRow(page, name).waitFor();
        return pipelineRow(page, name)
          .getByText('Stopped')
          .waitFor({ timeout: 3_000 })
          .then(() => true);
      },
      30_000,
      1_000,
    );
    assert.equal(
      await rowAction(page, name, 'Stop').count(),
      0,
      'no Stop on a finished run',
    );
  });
});

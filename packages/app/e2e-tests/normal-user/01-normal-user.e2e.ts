/*
 * SPEC §9 as a normal user sees it: signed in as nora (examples/org.yaml: in no group),
 * the pages offer her no Run, Edit, Delete, Create or Import, saying why, and the API
 * refuses them anyway. scripts/browser-test.sh runs this folder against a portal whose
 * guest sign-in is nora (APP_CONFIG_auth_providers_guest_userEntityRef), as the README
 * says to try each role.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Locator } from 'playwright-core';
import {
  ENTITY_TAB,
  eventually,
  gotoApp,
  openSession,
  screenshot,
  type Session,
} from '../lib/harness';
import { pipelineRow, rowAction } from '../lib/list';

/** Her own pipeline, seeded from examples/pipelines/nora as created by her. */
const HERS = 'nora-smoke-2048';
const TITLE = "Nora's smoke test of 2048";
const REFUSED = /^The portal's permission policy does not let you /;

/** The signed-in user, as the Backstage token the page sends says. */
function tokenSubject(token: string): string {
  const payload = token.split('.')[1];
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')).sub;
}

/** Where the pointer rests between hovers: an empty corner of the page. */
const AWAY = { x: 1390, y: 890 } as const;

/**
 * The tooltip a disabled control shows on hover (its wrapper listens for it).
 * The hover is repeated until the tooltip opens: a page still settling (the entity
 * header loading, a permission answer re-rendering the toolbar) can move or replace
 * the wrapper under a resting pointer, and then no tooltip opens for that hover.
 */
async function tooltipOf(session: Session, control: Locator): Promise<string> {
  const { page } = session;
  const tooltip = page.getByRole('tooltip');
  await eventually("the control's tooltip to open on hover", async () => {
    await page.mouse.move(AWAY.x, AWAY.y);
    await control.locator('xpath=..').hover();
    await tooltip.waitFor({ timeout: 2_000 });
    return true;
  });
  const text = (await tooltip.textContent()) ?? '';
  await page.mouse.move(AWAY.x, AWAY.y);
  await tooltip.waitFor({ state: 'detached' });
  return text;
}

describe('signed in as nora, a normal user', () => {
  let session: Session;
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    await session?.close();
  });

  test('the portal signed her in as nora', async () => {
    assert.equal(
      tokenSubject(await session.token()),
      'user:default/nora',
      'the portal must run with APP_CONFIG_auth_providers_guest_userEntityRef=user:default/nora',
    );
  });

  test('the list shows only the pipeline she created, and offers her nothing to do with it', async () => {
    const { page } = session;
    await gotoApp(page, '/devops');
    await pipelineRow(page, HERS).waitFor();
    // The demo's other pipelines are the guest's.
    assert.equal(await pipelineRow(page, 'hello-2048').count(), 0);
    assert.equal(await pipelineRow(page, 'build-2048').count(), 0);

    // Her projects own no entity she could create a pipeline for.
    const create = page.getByRole('button', { name: 'Create pipeline' });
    await eventually('Create pipeline to be disabled', () =>
      create.isDisabled(),
    );
    assert.ok(
      await page.getByRole('button', { name: 'Import YAML' }).isDisabled(),
    );

    const run = rowAction(page, HERS, 'Run');
    assert.ok(await run.isDisabled(), 'Run is disabled');
    assert.match(await tooltipOf(session, run), REFUSED);

    await page
      .getByRole('button', { name: `More actions for ${HERS}` })
      .click();
    const menu = page.getByRole('menu');
    for (const item of [
      'Edit',
      'Copy',
      'Edit triggers',
      'Advanced settings',
      'Deactivate',
      'Delete',
    ]) {
      assert.equal(
        await menu
          .getByRole('menuitem', { name: item, exact: true })
          .getAttribute('aria-disabled'),
        'true',
        `${item} is disabled in the row's menu`,
      );
    }
    // Exporting is reading, which she may.
    assert.notEqual(
      await menu
        .getByRole('menuitem', { name: 'Export YAML' })
        .getAttribute('aria-disabled'),
      'true',
    );
    await screenshot(page, 'normal-user.png');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });
  });

  test("jack-2048's Pipelines tab offers her no Create or Import", async () => {
    const { page } = session;
    await gotoApp(page, ENTITY_TAB);
    await pipelineRow(page, HERS).waitFor();
    const create = page.getByRole('button', { name: 'Create pipeline' });
    await eventually('Create pipeline to be disabled', () =>
      create.isDisabled(),
    );
    assert.ok(
      await page.getByRole('button', { name: 'Import YAML' }).isDisabled(),
      'Import YAML is disabled',
    );
    assert.match(
      await tooltipOf(session, create),
      /^The portal.s permission policy does not let you create pipelines for component:default\/jack-2048/,
    );
  });

  test("her pipeline's page offers no Run, Edit or Deactivate", async () => {
    const { page } = session;
    await pipelineRow(page, HERS).getByRole('link', { name: TITLE }).click();
    const run = page.getByRole('button', { name: 'Run', exact: true });
    await run.waitFor();
    for (const control of [
      run,
      page.getByRole('button', { name: 'Edit', exact: true }),
      page.getByRole('button', { name: 'Deactivate', exact: true }),
    ]) {
      assert.ok(
        await control.isDisabled(),
        `${await control.textContent()} is disabled`,
      );
    }
    assert.match(await tooltipOf(session, run), REFUSED);
  });

  test('the API refuses what the pages do not offer, saying why', async () => {
    const { items } = await session.api('GET', '/pipelines');
    assert.deepEqual(
      items.map((p: any) => p.metadata.name),
      [HERS],
    );
    const id = items[0].status.id;
    for (const [method, route] of [
      ['POST', `/pipelines/${id}/runs`],
      ['POST', `/pipelines/${id}/deactivate`],
      ['DELETE', `/pipelines/${id}`],
    ]) {
      const refused = await session.api(
        method,
        route,
        method === 'POST' ? {} : undefined,
        {
          expect: [403],
        },
      );
      assert.equal(refused.error.name, 'NotAllowedError', `${method} ${route}`);
    }
  });
});

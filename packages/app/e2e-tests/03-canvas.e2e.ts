/*
 * The canvas editor: a pipeline created from scratch in jack-2048's Pipelines tab (add a
 * stage, add runScript tasks, undo and redo), saved and run, with its output followed live
 * on the run page.
 */
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { after, before, describe, test } from 'node:test';
import {
  ENTITY_REF,
  ENTITY_TAB,
  deletePipelines,
  eventually,
  gotoApp,
  openSession,
  screenshot,
  uniqueName,
  type Session,
} from './lib/harness';
import {
  addRunScriptTask,
  addStage,
  cardMenu,
  stageCards,
  stageNames,
  taskCards,
  toolbarButton,
} from './lib/canvas';
import { shownLog, waitForRunEnd, waitForShownStatus } from './lib/run';

async function expectStages(page: Page, names: string[]) {
  let shown: string[] = [];
  await eventually(
    `stages ${names.join(', ')} (shown: ${shown.join(', ')})`,
    async () => {
      shown = await stageNames(page);
      return shown.join('|') === names.join('|') ? true : undefined;
    },
    5_000,
    50,
  );
}

describe('canvas editor', () => {
  let session: Session;
  const created: string[] = [];
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    if (session) await deletePipelines(session, created);
    await session?.close();
  });

  test('creates a pipeline from scratch, undoes and redoes, saves and runs it', async () => {
    const { page } = session;
    const name = uniqueName('e2e-canvas');
    const id = name.slice('e2e-canvas-'.length);

    await gotoApp(page, ENTITY_TAB);
    await page.getByRole('button', { name: /^Create pipeline$/i }).click();
    await page.waitForURL(url => url.pathname === `${ENTITY_TAB}/new`);
    await page.getByTestId('pipeline-canvas').waitFor();

    // A new pipeline starts with empty stages; the entity is the tab's.
    const initial = await stageNames(page);
    assert.ok(initial.length >= 1, 'a new pipeline shows its first stages');
    assert.equal(await taskCards(page).count(), 0, 'and no tasks');
    assert.equal(
      await page.locator('#pipeline-entity-ref').inputValue(),
      ENTITY_REF,
    );

    await page.locator('#pipeline-title').fill(`Canvas pipeline ${id}`);
    await page.locator('#pipeline-slug').fill(name);

    // Add a stage after the last one.
    const last = initial[initial.length - 1];
    await addStage(page, last, 'Smoke');
    assert.deepEqual(await stageNames(page), [...initial, 'Smoke']);

    // runScript tasks: in the first stage, the second one and the new one.
    const kept = initial.slice(0, 2);
    const smoke = initial.length;
    await addRunScriptTask(page, kept[0], {
      name: 'compile',
      script: `echo "compiling canvas pipeline $((40+2))"`,
    });
    if (kept[1]) {
      await addRunScriptTask(page, kept[1], {
        name: 'unit-tests',
        script: 'for i in 1 2; do echo "unit test $i passed"; done',
      });
    }
    await addRunScriptTask(page, 'Smoke', {
      name: 'check',
      script: [
        'echo "smoke check started"',
        'sleep 3',
        `echo "canvas-$((40+2))-${id} done"`,
      ].join('\n'),
    });
    await page.getByTestId('task-0-0').waitFor();
    await page.getByTestId(`task-${smoke}-0`).waitFor();
    assert.match(
      (await page.getByTestId('task-0-0').textContent()) ?? '',
      /compile/,
    );
    assert.match(
      (await page.getByTestId(`task-${smoke}-0`).textContent()) ?? '',
      /check/,
    );

    // Undo the added task, then redo it.
    await toolbarButton(page, 'Undo').click();
    await eventually('the undone task to go', async () =>
      (await taskCards(page, smoke).count()) === 0 ? true : undefined,
    );
    assert.equal(await taskCards(page, 0).count(), 1, 'the earlier task stays');
    await toolbarButton(page, 'Redo').click();
    await page.getByTestId(`task-${smoke}-0`).waitFor();

    // Saving with an empty stage is refused, naming the problem; nothing is stored.
    const empty = initial.slice(2);
    if (empty.length) {
      await toolbarButton(page, 'Save').click();
      await page
        .getByText(/a stage needs at least one task/)
        .first()
        .waitFor();
      assert.equal(
        page.url().endsWith(`${ENTITY_TAB}/new`),
        true,
        'still in the editor',
      );
    }

    // Remove the empty stages; undo and redo the last removal, with buttons and keys.
    for (const stage of empty) {
      await cardMenu(page, `stage ${stage}`, 'Delete stage');
    }
    const final = [...kept, 'Smoke'];
    await expectStages(page, final);
    if (empty.length) {
      const removed = empty[empty.length - 1];
      const restored = [...kept, removed, 'Smoke'];
      await toolbarButton(page, 'Undo').click();
      await expectStages(page, restored);
      await toolbarButton(page, 'Redo').click();
      await expectStages(page, final);
      // The keyboard: Ctrl+Z undoes, Ctrl+Shift+Z redoes (outside text fields).
      await page
        .getByTestId('pipeline-canvas')
        .click({ position: { x: 5, y: 5 } });
      await page.keyboard.press('Control+z');
      await expectStages(page, restored);
      await page.keyboard.press('Control+Shift+z');
      await expectStages(page, final);
    }

    // The whole pipeline in view for the screenshot.
    await page
      .getByRole('button', { name: 'fit view' })
      .click()
      .catch(() => {});
    await screenshot(page, 'canvas.png');

    // Save and run: the run page follows the output live.
    await toolbarButton(page, 'Save and run').click();
    await page.waitForURL(url => /\/runs\/[^/]+$/.test(url.pathname), {
      timeout: 20_000,
    });
    assert.ok(
      page.url().includes(`${ENTITY_TAB}/runs/`),
      'the run page stays in the tab',
    );
    const runId = decodeURIComponent(page.url().split('/runs/')[1]);
    const run = await session.api('GET', `/runs/${runId}`);
    created.push(run.pipelineId);
    assert.equal(run.pipelineName, name);
    const pipeline = await session.api('GET', `/pipelines/${run.pipelineId}`);
    assert.equal(pipeline.metadata.entityRef, ENTITY_REF);
    assert.deepEqual(
      pipeline.spec.stages.map((s: any) => [
        s.name,
        s.tasks.map((t: any) => t.name),
      ]),
      [
        [kept[0], ['compile']],
        ...(kept[1] ? [[kept[1], ['unit-tests']]] : []),
        ['Smoke', ['check']],
      ],
    );

    await eventually(
      'the smoke task to print while it runs',
      async () => (await shownLog(page)).includes('smoke check started'),
      30_000,
      100,
    );
    assert.equal(
      (await session.api('GET', `/runs/${runId}`)).status,
      'running',
      'its output shows while the run is running',
    );
    await eventually(
      'the last line',
      async () => (await shownLog(page)).includes(`canvas-42-${id} done`),
      30_000,
      100,
    );
    await waitForShownStatus(page, 'succeeded', 30_000);
    assert.equal((await waitForRunEnd(session, runId)).status, 'succeeded');
    for (const task of final.map((_, i) => `run-task-${i}-0`)) {
      assert.equal(
        await page.getByTestId(task).getAttribute('data-status'),
        'succeeded',
      );
    }
    // The log shown is the selected step's: the first task's output is one click away.
    await page.getByTestId('run-task-0-0').click();
    await eventually("the first task's output", async () =>
      (await shownLog(page)).includes('compiling canvas pipeline 42'),
    );
  });

  test('Reset brings the editor back to the pipeline as opened', async () => {
    const { page } = session;
    await gotoApp(page, `${ENTITY_TAB}/new`);
    await page.getByTestId('pipeline-canvas').waitFor();
    const initial = await stageNames(page);
    await addStage(page, initial[initial.length - 1], 'Extra');
    assert.equal(await stageCards(page).count(), initial.length + 1);
    await toolbarButton(page, 'Reset').click();
    // Reset may ask first.
    const dialog = page.getByRole('dialog');
    if (await dialog.isVisible().catch(() => false)) {
      await dialog.getByRole('button', { name: /^Reset/ }).click();
    }
    await eventually('the added stage to go', async () =>
      (await stageCards(page).count()) === initial.length ? true : undefined,
    );
    assert.deepEqual(await stageNames(page), initial);
  });
});

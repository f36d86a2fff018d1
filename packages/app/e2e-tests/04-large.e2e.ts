/*
 * A large pipeline in the canvas editor: 30 stages of 20 tasks. Prints how long the
 * editor takes to show it and to apply one edit (no threshold is enforced).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  ENTITY_TAB,
  deletePipelines,
  gotoApp,
  openSession,
  pipelineDocument,
  reportTiming,
  uniqueName,
  type Session,
} from './lib/harness';
import {
  canvasClick,
  stageCards,
  taskCards,
  toolbarButton,
} from './lib/canvas';

const STAGES = 30;
const TASKS = 20;

describe('large pipeline in the editor', () => {
  let session: Session;
  const created: string[] = [];
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    if (session) await deletePipelines(session, created);
    await session?.close();
  });

  test(`opens a ${STAGES}×${TASKS} pipeline and applies an edit`, async () => {
    const { page } = session;
    const name = uniqueName('e2e-large');
    const pipeline = await session.api(
      'POST',
      '/pipelines',
      pipelineDocument(
        name,
        Array.from({ length: STAGES }, (_, s) => ({
          name: `stage-${s + 1}`,
          tasks: Array.from({ length: TASKS }, (__, t) => ({
            name: `task-${s + 1}-${t + 1}`,
            script: `echo "stage ${s + 1} task ${t + 1}"`,
          })),
        })),
        { title: `Large pipeline ${STAGES}x${TASKS}` },
      ),
    );
    created.push(pipeline.status.id);

    // Load the editor's code once (a small pipeline), so the timing is the canvas's.
    await gotoApp(page, `${ENTITY_TAB}/new`);
    await page.getByTestId('pipeline-canvas').waitFor();
    await gotoApp(page, ENTITY_TAB);
    await page
      .getByTestId(/^pipeline-row-/)
      .first()
      .waitFor();

    const editPath = `${ENTITY_TAB}/${encodeURIComponent(
      pipeline.status.id,
    )}/edit`;
    const opened = Date.now();
    await gotoApp(page, editPath);
    await page.getByTestId('task-0-0').waitFor({ timeout: 60_000 });
    const firstRender = Date.now() - opened;
    const lastTask = page.getByTestId(`task-${STAGES - 1}-${TASKS - 1}`);
    await lastTask.waitFor({ state: 'attached', timeout: 60_000 });
    const allCards = Date.now() - opened;
    reportTiming(
      `editor ${STAGES}x${TASKS}: first render`,
      firstRender,
      'client-side navigation from the list to the first task card',
    );
    reportTiming(
      `editor ${STAGES}x${TASKS}: all ${STAGES * TASKS} task cards in the DOM`,
      allCards,
    );
    assert.equal(await stageCards(page).count(), STAGES);
    assert.equal(await taskCards(page).count(), STAGES * TASKS);

    // One edit: copy the first task; the stage then has one more card.
    const menuButton = page.getByRole('button', {
      name: 'Actions for task task-1-1',
      exact: true,
    });
    await canvasClick(menuButton);
    const item = page.getByRole('menuitem', { name: 'Copy task', exact: true });
    await item.waitFor();
    const startEdit = Date.now();
    await item.click();
    await page.getByTestId(`task-0-${TASKS}`).waitFor({ state: 'attached' });
    reportTiming(
      `editor ${STAGES}x${TASKS}: one edit (copy a task)`,
      Date.now() - startEdit,
      'click on "Copy task" to the new card in the DOM',
    );
    assert.equal(await taskCards(page, 0).count(), TASKS + 1);

    // And undo it.
    const startUndo = Date.now();
    await toolbarButton(page, 'Undo').click();
    await page.getByTestId(`task-0-${TASKS}`).waitFor({ state: 'detached' });
    reportTiming(`editor ${STAGES}x${TASKS}: undo`, Date.now() - startUndo);
    assert.equal(await taskCards(page).count(), STAGES * TASKS);
  });
});

/* Helpers for the canvas editor (`<base>/pipelines/new`, `<base>/pipelines/:id/edit`). */
import type { Locator, Page } from 'playwright-core';

/** The stage cards on the canvas (`stage-<i>`). */
export const stageCards = (page: Page) => page.getByTestId(/^stage-\d+$/);

/** The task cards of one stage (`task-<i>-<j>`), or of all stages. */
export const taskCards = (page: Page, stage?: number) =>
  page.getByTestId(stage === undefined ? /^task-\d+-\d+$/ : new RegExp(`^task-${stage}-\\d+$`));

/** The names of the stages, in canvas order, read from their "Add task to <name>" buttons. */
export async function stageNames(page: Page): Promise<string[]> {
  const count = await stageCards(page).count();
  const names: string[] = [];
  for (let i = 0; i < count; i++) {
    const label = await page
      .getByTestId(`stage-${i}`)
      .getByRole('button', { name: /^Add task to / })
      .getAttribute('aria-label');
    names.push((label ?? '').replace(/^Add task to /, ''));
  }
  return names;
}

/**
 * Clicks a control on the canvas. Focusing it first lets the canvas pan it into view
 * (cards outside the visible part of the canvas are clipped, not scrolled to).
 */
export async function canvasClick(control: Locator): Promise<void> {
  await control.focus();
  try {
    await control.click({ timeout: 5_000 });
  } catch (error) {
    if (!/intercepts pointer events/.test(String(error))) throw error;
    // Something on the canvas (its zoom controls) lies over the control, where a mouse
    // cannot reach it: say so, and use the keyboard, which can.
    const label = await control.getAttribute('aria-label');
    const cover = /<([a-z]+)[^>]*aria-label="([^"]*)"[^>]*>[^\n]*intercepts pointer events/.exec(
      String(error),
    );
    // eslint-disable-next-line no-console
    console.log(
      `NOTE: "${label}" is covered by ${
        cover ? `"${cover[2]}"` : 'another element'
      } on the canvas; activated with the keyboard instead`,
    );
    await control.focus();
    await control.press('Enter');
  }
}

/** Adds a stage with the "Add stage after <name>" button and its dialog. */
export async function addStage(page: Page, after: string, name: string): Promise<void> {
  await canvasClick(page.getByRole('button', { name: `Add stage after ${after}`, exact: true }));
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Add stage', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Adds a runScript task with the "Add task to <stage>" button and its dialog. */
export async function addRunScriptTask(
  page: Page,
  stage: string,
  task: { name: string; script: string; image?: string; tag?: string },
): Promise<void> {
  await canvasClick(page.getByRole('button', { name: `Add task to ${stage}`, exact: true }));
  const dialog = page.getByRole('dialog');
  await dialog.locator('#task-type').selectOption('runScript');
  await dialog.locator('#task-name').fill(task.name);
  await dialog.locator('#task-image').fill(task.image ?? 'alpine');
  await dialog.locator('#task-tag').fill(task.tag ?? '3.20');
  await dialog.locator('#task-script').fill(task.script);
  await dialog.getByRole('button', { name: 'Add task', exact: true }).click();
  await dialog.waitFor({ state: 'detached' });
}

/** Picks an item of a card's menu ("Actions for stage <name>" / "Actions for task <name>"). */
export async function cardMenu(page: Page, card: string, item: string): Promise<void> {
  await canvasClick(page.getByRole('button', { name: `Actions for ${card}`, exact: true }).first());
  await page.getByRole('menuitem', { name: item, exact: true }).click();
  await page.getByRole('menu').waitFor({ state: 'detached' });
}

/** The editor's toolbar button (Undo, Redo, Reset, Save, Save and run). */
export const toolbarButton = (page: Page, name: string) =>
  page
    .getByRole('toolbar', { name: 'Pipeline editor actions' })
    .getByRole('button', { name, exact: true })
    .or(page.getByRole('button', { name, exact: true }))
    .first();

/* Helpers for the pipelines list (the /devops page and an entity's Pipelines tab). */
import type { Locator, Page } from 'playwright-core';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The list's row of a pipeline: `pipeline-row-<name>`, or the table row naming it. */
export function pipelineRow(page: Page, name: string): Locator {
  return page
    .getByTestId(`pipeline-row-${name}`)
    .or(
      page
        .locator('tr')
        .filter({ has: page.getByText(name, { exact: true }) }),
    )
    .first();
}

/** A row's action button, named "<verb> <name>" (or just "<verb>" in older builds). */
export function rowAction(page: Page, name: string, verb: string): Locator {
  return pipelineRow(page, name).getByRole('button', {
    name: new RegExp(`^${escapeRegExp(verb)}( ${escapeRegExp(name)}| "[^"]*")?$`),
  });
}

/** Clicks the confirming button of the open dialog. */
export async function confirmDialog(page: Page, label: string): Promise<void> {
  await page
    .getByRole('dialog')
    .getByRole('button', { name: label, exact: true })
    .click();
}

/** A tab of a catalog entity's page (the tabs are links under the entity's path). */
export function entityTab(page: Page, title: string): Locator {
  return page
    .locator('a[href^="/catalog/"]')
    .filter({ hasText: new RegExp(`^${escapeRegExp(title)}$`) })
    .first();
}

/*
 * A task type from a backend module (the demo backend adds the example module
 * examples/devops-backend-module-verify-files): the task dialog offers it with its hint,
 * draws its field from the schema the backend serves, says what is wrong at the field,
 * and the saved task runs on the local executor against the demo repository.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
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
import { canvasClick, toolbarButton } from './lib/canvas';
import { shownLog, waitForRunEnd, waitForShownStatus } from './lib/run';

describe("a backend module's task type", () => {
  let session: Session;
  const created: string[] = [];
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    if (session) await deletePipelines(session, created);
    await session?.close();
  });

  test('is added in the dialog from its schema, saved and run', async () => {
    const { page } = session;
    const document = pipelineDocument(uniqueName('e2e-module-type'), [
      { name: 'Check', tasks: [{ name: 'hello', script: 'echo checking' }] },
    ]);
    const pipeline = await session.api('POST', '/pipelines', {
      ...document,
      spec: {
        ...document.spec,
        source: {
          provider: 'git',
          repository: 'file:///tmp/devops-pipelines-demo/jack-2048.git',
          branch: 'main',
        },
      },
    });
    created.push(pipeline.status.id);

    await gotoApp(page, `${ENTITY_TAB}/${pipeline.status.id}/edit`);
    await page.getByTestId('pipeline-canvas').waitFor();
    await canvasClick(
      page.getByRole('button', { name: 'Add task to Check', exact: true }),
    );
    const dialog = page.getByRole('dialog');
    // The module's type is offered after the built-in ones, with its hint.
    const types = await dialog
      .locator('#task-type option')
      .evaluateAll(options =>
        options.map(o => (o as HTMLOptionElement).textContent),
      );
    assert.deepEqual(types.slice(-1), ['Verify files']);
    await dialog.locator('#task-type').selectOption('example:verifyFiles');
    await dialog
      .getByText(
        'Fails when a listed file is missing from the checked-out source',
      )
      .waitFor();
    await dialog.locator('#task-name').fill('release-files');

    // Its one field, from the schema: required, several lines, hint and example.
    const files = dialog.locator('#task-paths');
    assert.equal(await files.evaluate(e => e.tagName), 'TEXTAREA');
    assert.equal(
      await files.getAttribute('placeholder'),
      'e.g. package-lock.json\nLICENSE',
    );
    await dialog.getByRole('button', { name: 'Add task', exact: true }).click();
    await dialog.getByText('Files is required').waitFor();

    await files.fill('README.md\nDockerfile\nCHANGELOG.md');
    await screenshot(page, 'module-task-type.png');
    await dialog.getByRole('button', { name: 'Add task', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    // The card names the type by its title.
    await eventually('the new card', async () =>
      /Verify files/.test(
        (await page.getByTestId('task-0-1').textContent()) ?? '',
      )
        ? true
        : undefined,
    );

    await toolbarButton(page, 'Save and run').click();
    await page.waitForURL(url => /\/runs\/[^/]+$/.test(url.pathname), {
      timeout: 20_000,
    });
    const runId = decodeURIComponent(page.url().split('/runs/')[1]);
    const saved = await session.api('GET', `/pipelines/${pipeline.status.id}`);
    assert.deepEqual(saved.spec.stages[0].tasks[1], {
      name: 'release-files',
      type: 'example:verifyFiles',
      paths: 'README.md\nDockerfile\nCHANGELOG.md',
    });

    // CHANGELOG.md is not in the demo repository: the task fails, naming it.
    await waitForShownStatus(page, 'failed', 60_000);
    const run = await waitForRunEnd(session, runId);
    assert.equal(run.status, 'failed');
    await page.getByTestId('run-task-0-1').click();
    await eventually('the module task’s output', async () => {
      const log = await shownLog(page);
      return log.includes('found README.md') &&
        log.includes('found Dockerfile') &&
        log.includes('missing CHANGELOG.md')
        ? true
        : undefined;
    });
  });
});

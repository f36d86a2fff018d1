/*
 * The Repositories page: the DevOps page's third tab shows what to register for an OAuth
 * application, and the callback URL it shows answers, sending the browser back to the
 * page with the reason when the authorization is not one the portal started.
 *
 * Then a GitHub account is connected and a private repository picked and run. No GitHub
 * runs here: the OAuth and REST STAND-IN of the backend's tests plays GitHub Enterprise
 * Server at a private base URL (scripts/test.sh lets the portal reach 127.0.0.1 through
 * devops.repositories.allowedHosts), and serves a real repository through
 * `git http-backend` that takes only the tokens it issued.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
/* eslint-disable @backstage/no-relative-monorepo-imports -- the browser test drives the
   stand-ins of the backend's tests, which no package publishes: test code, not a
   dependency of the app */
import { OAuthStandIn } from '../../../plugins/devops-backend/src/accounts/__testUtils__/OAuthStandIn';
import { GitHttpServer } from '../../../plugins/devops-backend/src/scm/__testUtils__/GitHttpServer';
import { TestRepository } from '../../../plugins/devops-backend/src/scm/__testUtils__/TestRepository';
/* eslint-enable @backstage/no-relative-monorepo-imports */
import { canvasClick, toolbarButton } from './lib/canvas';
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
import { shownLog, waitForRunEnd, waitForShownStatus } from './lib/run';

const PRIVATE_LINE = 'only readable with the connected account';

describe('repositories', () => {
  let session: Session;
  let github: OAuthStandIn;
  let gitHost: GitHttpServer;
  let root: string;
  const created: string[] = [];
  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-e2e-private-'));
    const repository = TestRepository.create(
      path.join(root, 'octocat', 'private-app.git'),
    );
    repository.git('switch', '--quiet', '-c', 'release-1');
    repository.commit({ 'README.md': `${PRIVATE_LINE}\n` }, 'Release notes');
    github = await OAuthStandIn.start('github', 'octocat');
    github.registerApplication('Iv1.e2e-portal', 'e2e-portal-secret');
    github.addRepository('octocat/private-app', {
      branches: ['main', 'release-1'],
    });
    gitHost = await GitHttpServer.start({
      root,
      accepts: (username, password) =>
        username === 'x-access-token' && github.isValidToken(password),
    });
    github.serveGit((req, res) => gitHost.handle(req, res));
    session = await openSession();
  });
  after(async () => {
    if (session) {
      await deletePipelines(session, created);
      // Once no pipeline reads its source with it, the account may log out.
      await session
        .api('DELETE', '/repositories/github', undefined, {
          expect: [204, 404],
        })
        .catch(() => {});
    }
    await session?.close();
    await github?.stop();
    await gitHost?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  test('shows what to register, and its callback URL answers', async () => {
    const { page } = session;
    await gotoApp(page, '/devops');
    await page.getByRole('tab', { name: 'Repositories' }).click();
    await page.getByRole('tab', { name: 'GitLab' }).click();
    const callbackUrl = (await page
      .getByTestId('registration-Callback URL')
      .textContent())!.trim();
    assert.match(callbackUrl, /\/api\/devops\/repositories\/gitlab\/redirect$/);
    assert.equal(
      (await page.getByTestId('registration-Scopes').textContent())!.trim(),
      'api read_user',
    );
    await screenshot(page, 'repositories.png');

    // A callback with a state the portal never issued: back to the page, with why.
    await page.goto(`${callbackUrl}?state=forged&code=x`);
    await page.getByText(/The GitLab account was not connected$/).waitFor();
    await page
      .getByText(
        'This authorization was used already or has expired; connect again',
      )
      .waitFor();
  });

  test('connects a GitHub account, picks a private repository and a branch, saves and runs', async () => {
    const { page } = session;
    await gotoApp(page, '/devops/repositories');
    await page.getByRole('tab', { name: 'GitHub' }).click();
    await page.locator('#github-client-id').fill('Iv1.e2e-portal');
    await page.locator('#github-client-secret').fill('e2e-portal-secret');
    await page.getByLabel('GitHub Enterprise Server').check();
    await page.locator('#github-base-url').fill(github.baseUrl);
    await page.getByRole('button', { name: 'Connect GitHub' }).click();

    // The host's authorize page approves at once and sends the browser back.
    await page.getByText('Connected the GitHub account octocat').waitFor();
    await page.getByText('octocat/private-app').first().waitFor();
    await screenshot(page, 'repositories-connected.png');

    const name = uniqueName('e2e-private');
    const pipeline = await session.api(
      'POST',
      '/pipelines',
      pipelineDocument(name, [
        { name: 'Build', tasks: [{ name: 'read', script: 'cat README.md' }] },
      ]),
    );
    created.push(pipeline.status.id);
    await gotoApp(page, `${ENTITY_TAB}/${pipeline.status.id}/edit`);
    await canvasClick(
      page
        .getByTestId('source-card')
        .getByRole('button', { name: 'Add source' }),
    );
    const dialog = page.getByRole('dialog');
    await dialog.locator('#source-repository').fill('private');
    await page.getByRole('option', { name: /octocat\/private-app/ }).click();
    assert.equal(
      await dialog.locator('#source-repository').inputValue(),
      `${github.baseUrl}/octocat/private-app.git`,
    );
    assert.equal(await dialog.locator('#source-branch').inputValue(), 'main');
    await dialog.locator('#source-branch').click();
    await page.getByRole('option', { name: 'release-1' }).click();
    await dialog.getByText('Read with your GitHub account octocat').waitFor();
    await screenshot(page, 'source-picker.png');
    await dialog.getByRole('button', { name: 'Save source' }).click();

    await toolbarButton(page, 'Save and run').click();
    await page.waitForURL(url => /\/runs\/[^/]+$/.test(url.pathname), {
      timeout: 20_000,
    });
    const runId = decodeURIComponent(page.url().split('/runs/')[1]);
    assert.equal((await waitForRunEnd(session, runId)).status, 'succeeded');
    await waitForShownStatus(page, 'succeeded', 30_000);
    // The checkout is a step of its own, with its status and its log.
    const checkout = page.getByTestId('run-step-checkout');
    assert.equal(await checkout.getAttribute('data-status'), 'succeeded');
    assert.match(
      await checkout.innerText(),
      /Checkout private-app@[0-9a-f]{8}/,
    );
    await checkout.click();
    await eventually('the branch resolution in the checkout log', async () =>
      (await shownLog(page)).includes('Branch release-1 of'),
    );
    await page.getByTestId('run-task-0-0').click();
    await eventually('the private file in the log', async () =>
      (await shownLog(page)).includes(PRIVATE_LINE),
    );
    const saved = await session.api('GET', `/pipelines/${pipeline.status.id}`);
    assert.deepEqual(saved.spec.source, {
      provider: 'github',
      repository: `${github.baseUrl}/octocat/private-app.git`,
      branch: 'release-1',
      accountId: saved.spec.source.accountId,
    });
    assert.ok(saved.spec.source.accountId, 'the source names the account');

    // Logging out is refused while the pipeline reads its source with the account.
    await gotoApp(page, '/devops/repositories');
    await page.getByRole('tab', { name: 'GitHub' }).click();
    await page.getByRole('button', { name: /log out/i }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /log out/i })
      .click();
    await page.getByText(new RegExp(`"${name}" \\(`)).waitFor();
  });
});

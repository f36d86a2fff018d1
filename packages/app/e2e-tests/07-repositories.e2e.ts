/*
 * The Repositories page: the DevOps page's third tab shows what to register for an OAuth
 * application, and the callback URL it shows answers, sending the browser back to the
 * page with the reason when the authorization is not one the portal started.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { gotoApp, openSession, screenshot, type Session } from './lib/harness';

describe('repositories', () => {
  let session: Session;
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    await session?.close();
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
});

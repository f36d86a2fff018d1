/*
 * Triggers in the running portal: a periodic trigger set in the dialog fires at the next
 * whole minute and shows in the pipeline's trigger activity; a GitHub push, signed with
 * the secret of the events backend's GitHub module and posted to the ingress URL the
 * dialog shows, starts the pipeline, and a wrongly signed one starts nothing. The push is
 * GitHub's published example (@octokit/webhooks-examples); no GitHub runs here, so the
 * webhook is "registered by hand" (the demo portal has no GitHub credentials).
 */
import webhookExamples from '@octokit/webhooks-examples';
import assert from 'node:assert/strict';
import { createHmac, randomUUID } from 'node:crypto';
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

/** The demo portal's events.modules.github.webhookSecret (app-config.yaml). */
const GITHUB_SECRET = 'development-only-github-webhook-secret';

type Activity = {
  summary: string;
  outcome: string;
  reason?: string;
  run?: { id: string; buildId: number };
};

describe('triggers', () => {
  let session: Session;
  const created: string[] = [];
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    if (session) await deletePipelines(session, created);
    await session?.close();
  });

  async function createPipeline(prefix: string, source?: object) {
    const document = pipelineDocument(uniqueName(prefix), [
      { name: 'Build', tasks: [{ name: 'main', script: 'echo triggered' }] },
    ]);
    const pipeline = await session.api('POST', '/pipelines', {
      ...document,
      spec: { ...document.spec, ...(source ? { source } : {}) },
    });
    created.push(pipeline.status.id);
    return pipeline;
  }

  const activityOf = async (pipelineId: string): Promise<Activity[]> =>
    (await session.api('GET', `/pipelines/${pipelineId}/triggers`)).activity;

  async function openTriggerDialog(pipelineId: string) {
    const { page } = session;
    await gotoApp(page, `${ENTITY_TAB}/${pipelineId}`);
    await page.getByRole('button', { name: 'Edit trigger rules' }).click();
    return page.getByRole('dialog');
  }

  test('a periodic trigger fires at the next whole minute, in the zone of the portal', async () => {
    const { page } = session;
    const pipeline = await createPipeline('e2e-timer');
    const id = pipeline.status.id;

    const dialog = await openTriggerDialog(id);
    await dialog.getByLabel('Periodic trigger').click();
    await page.getByRole('option', { name: 'Every n minutes' }).click();
    await dialog.getByLabel('Interval (minutes)').fill('1');
    // The preview is in the backend's zone, and says so.
    await dialog.getByText(/Times in UTC/).waitFor();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.getByText("UTC, the zone of the portal's timer").waitFor();

    const savedAt = Date.now();
    const fired = await eventually(
      'the timer to start the pipeline',
      async () => (await activityOf(id)).find(a => a.outcome === 'started'),
      125_000,
      1_000,
    );
    const run = await session.api('GET', `/runs/${fired.run!.id}`);
    assert.equal(run.trigger.type, 'schedule');
    // Fire times are whole minutes: the run was queued within a minute of the save.
    assert.ok(
      new Date(run.queuedAt).getTime() - savedAt < 61_000 + 5_000,
      `queued at ${run.queuedAt}, saved at ${new Date(savedAt).toISOString()}`,
    );

    // The panel polls; a fresh load shows the fire at once.
    await gotoApp(page, `${ENTITY_TAB}/${id}`, { reload: true });
    const panel = page.getByRole('list', { name: 'Trigger activity' });
    await panel
      .getByText(/Timer:/)
      .first()
      .waitFor();
    await panel.getByText(`#${fired.run!.buildId}`).first().waitFor();
    await panel.scrollIntoViewIfNeeded();
    await screenshot(page, 'trigger-activity.png');

    // Off again, so that it stops firing while the other tests run.
    await session.api('PUT', `/pipelines/${id}/triggers`, {});
  });

  test('a signed GitHub push starts the pipeline; a wrong signature starts nothing', async () => {
    const { page } = session;
    const repository = `Codertocat/${uniqueName('e2e-hello')}`;
    const pipeline = await createPipeline('e2e-push', {
      provider: 'github',
      repository: `https://github.com/${repository}.git`,
      branch: 'master',
    });
    const id = pipeline.status.id;

    const dialog = await openTriggerDialog(id);
    await dialog.getByLabel('Push', { exact: true }).check();
    const ingressUrl = (await dialog
      .getByTestId('webhook-url')
      .textContent())!.trim();
    assert.match(ingressUrl, /\/api\/events\/http\/github$/);
    // Without GitHub credentials the portal cannot register the hook, and says why.
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog
      .getByText(/integrations\.github/)
      .first()
      .waitFor();
    await dialog.getByLabel('I registered the webhook by hand').check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await dialog.waitFor({ state: 'hidden' });

    const definition = webhookExamples.find(d => d.name === 'push')!;
    const push: any = structuredClone(
      definition.examples.find(
        (p: any) => p.ref === 'refs/heads/master' && !p.deleted,
      ),
    );
    push.repository.full_name = repository;
    push.repository.html_url = `https://github.com/${repository}`;
    push.repository.clone_url = `https://github.com/${repository}.git`;
    const body = JSON.stringify(push);
    const deliver = (secret: string) =>
      session.context.request.post(ingressUrl, {
        headers: {
          'Content-Type': 'application/json',
          'X-GitHub-Event': 'push',
          'X-GitHub-Delivery': randomUUID(),
          'X-Hub-Signature-256': `sha256=${createHmac('sha256', secret)
            .update(body)
            .digest('hex')}`,
        },
        data: body,
      });

    const forged = await deliver('not-the-secret');
    assert.ok(
      forged.status() >= 400 && forged.status() < 500,
      `forged: HTTP ${forged.status()}`,
    );
    const signed = await deliver(GITHUB_SECRET);
    assert.equal(signed.status(), 202, await signed.text());

    const started = await eventually(
      'the push to start the pipeline',
      async () => (await activityOf(id)).find(a => a.outcome === 'started'),
    );
    const commit = (push.after as string).slice(0, 8);
    assert.equal(started.summary, `push ${commit} to master`);
    assert.equal(
      (await activityOf(id)).length,
      1,
      'the forged delivery left no trace',
    );
    const run = await session.api('GET', `/runs/${started.run!.id}`);
    assert.equal(run.commit, push.after);
    // No GitHub to clone from here: the run is not the point, its cause is.
    await session.api('POST', `/runs/${run.id}/stop`, undefined, {
      expect: [200, 202, 409],
    });

    await gotoApp(page, `${ENTITY_TAB}/runs/${run.id}`);
    await page
      .getByText(new RegExp(`push ${commit} to master`))
      .first()
      .waitFor();
  });
});

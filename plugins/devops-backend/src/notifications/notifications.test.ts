import { TestDatabases } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import type { Notification } from '@backstage/plugin-notifications-common';
import type { RunNotifications } from '@devops-pipelines/plugin-devops-common';
import {
  DevopsTestBackend,
  pipelineDocument,
  uniqueName,
  userHeader,
} from '../router/__testUtils__/devopsTestBackend';

jest.setTimeout(120_000);

const TEAM = 'group:default/game-team';
const ALICE = 'user:default/alice';
/** In the catalog, but in no group that owns anything. */
const BOB = 'user:default/bob';
/** The runs' user (the requests' default), who owns nothing. */
const STARTER = 'user:default/mock';

/**
 * Catalog data as the catalog serves it, relations included: a component owned by the
 * team, whose member is alice.
 */
function catalogEntities(component: string): Entity[] {
  return [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: component, namespace: 'default' },
      spec: { type: 'service', lifecycle: 'production', owner: 'game-team' },
      relations: [{ type: 'ownedBy', targetRef: TEAM }],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'game-team', namespace: 'default' },
      spec: { type: 'team', children: [] },
      relations: [{ type: 'hasMember', targetRef: ALICE }],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'alice', namespace: 'default' },
      spec: { memberOf: ['game-team'] },
      relations: [{ type: 'memberOf', targetRef: TEAM }],
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'bob', namespace: 'default' },
      spec: { memberOf: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name: 'mock', namespace: 'default' },
      spec: { profile: { displayName: 'Mock User' } },
    },
  ];
}

/**
 * Run notifications end to end: the devops plugin with the real notifications backend
 * in one test backend, the catalog resolving the pipeline's entity to its
 * owning group and the group to its member, runs really executed by the local executor,
 * and the member's notifications read through the notifications API as that user.
 */
describe('run notifications', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    const component = uniqueName('game');
    const entityRef = `component:default/${component}`;
    let devops: DevopsTestBackend;

    beforeAll(async () => {
      const [knex, notificationsKnex] = await Promise.all([
        databases.init(databaseId),
        databases.init(databaseId),
      ]);
      devops = await DevopsTestBackend.start(knex, {
        catalog: catalogEntities(component),
        // The notifications backend checks links against the app's URL.
        config: { app: { baseUrl: 'http://localhost:3000' } },
        // Without the signals backend, which needs a real HTTP server for its WebSocket:
        // its service only pushes to open pages.
        features: [notificationsPlugin],
        // Its own database, as in a real backend: both plugins keep knex migrations.
        pluginDatabases: { notifications: notificationsKnex },
      });
    });

    afterAll(async () => {
      await devops?.stop();
    });

    /** A user's notifications of one pipeline (its topic), newest first. */
    const notificationsOf = async (user: string, topic: string) => {
      const res = await devops.http
        .get('/api/notifications/notifications')
        .query({ topic })
        .set('Authorization', userHeader(user));
      expect(res.status).toBe(200);
      return res.body.notifications as Notification[];
    };

    /** Polls until the user's notification of the pipeline has the title. */
    const waitForTitle = async (user: string, topic: string, title: string) => {
      const deadline = Date.now() + 20_000;
      for (;;) {
        const found = await notificationsOf(user, topic);
        if (found.some(n => n.payload.title === title)) return found;
        if (Date.now() > deadline) {
          throw new Error(
            `${user} got no notification "${title}"; they have ${JSON.stringify(
              found.map(n => n.payload.title),
            )}`,
          );
        }
        await new Promise(resolve => setTimeout(resolve, 100));
      }
    };

    /** A pipeline of the team's entity that fails when run with OUTCOME=fail. */
    const createPipeline = async (notifications?: RunNotifications) => {
      const document = pipelineDocument({
        name: uniqueName('deploy'),
        entityRef,
        parameters: [{ name: 'OUTCOME', value: 'pass' }],
        scripts: ['echo "outcome: $OUTCOME"; test "$OUTCOME" = pass'],
      });
      if (notifications) document.spec.notifications = notifications;
      return devops.createPipeline(document);
    };

    /** Runs the pipeline to its end: failed with OUTCOME=fail, else succeeded. */
    const runToEnd = async (pipelineId: string, outcome: 'pass' | 'fail') => {
      const run = await devops.startRun(pipelineId, { OUTCOME: outcome });
      const ended = await devops.waitForRun(run.id);
      expect(ended.status).toBe(outcome === 'pass' ? 'succeeded' : 'failed');
      return ended;
    };

    it("tells the owning group's member of a failed run, then of the fix, by default", async () => {
      const pipeline = await createPipeline();
      const name = pipeline.metadata.name;

      const failed = await runToEnd(pipeline.status.id, 'fail');
      const [failure] = await waitForTitle(ALICE, name, `${name} #1 failed`);
      expect(failure.payload).toMatchObject({
        severity: 'high',
        topic: name,
        scope: pipeline.status.id,
        link: `http://localhost:3000/devops/runs/${failed.id}`,
      });
      // Why it failed (the run page's words) and who started it.
      expect(failure.payload.description).toBe(
        'Script exited with code 1; its last output: "outcome: fail". Started by user Mock User.',
      );
      expect(failure.read).toBeFalsy();

      // Read, as a user would; the fix brings it back as unread.
      await devops.http
        .post('/api/notifications/notifications/update')
        .set('Authorization', userHeader(ALICE))
        .send({ ids: [failure.id], read: true });

      const fixed = await runToEnd(pipeline.status.id, 'pass');
      const [fix, ...others] = await waitForTitle(
        ALICE,
        name,
        `${name} #2 fixed`,
      );
      // One notification per pipeline: the newest replaces the one before.
      expect(others).toEqual([]);
      expect(fix).toMatchObject({
        id: failure.id,
        payload: {
          severity: 'normal',
          description:
            'It succeeded after #1 failed. Started by user Mock User.',
          link: `http://localhost:3000/devops/runs/${fixed.id}`,
        },
      });
      expect(fix.read).toBeFalsy();

      // Nobody outside the team, not even who started the runs, heard of it.
      expect(await notificationsOf(BOB, name)).toEqual([]);
      expect(await notificationsOf(STARTER, name)).toEqual([]);
    });

    it('sends nothing when off, and tells of every run with all', async () => {
      const off = await createPipeline('off');
      const all = await createPipeline('all');

      await runToEnd(off.status.id, 'fail');
      await runToEnd(off.status.id, 'pass');
      await runToEnd(all.status.id, 'pass');
      const [succeeded] = await waitForTitle(
        ALICE,
        all.metadata.name,
        `${all.metadata.name} #1 succeeded`,
      );
      expect(succeeded.payload.severity).toBe('normal');
      // The off pipeline's runs ended before the all pipeline's, whose notification came.
      expect(await notificationsOf(ALICE, off.metadata.name)).toEqual([]);
    });

    it('follows the setting saved in the advanced settings', async () => {
      const pipeline = await createPipeline();
      const name = pipeline.metadata.name;
      const saved = await devops.http
        .put(`/api/devops/pipelines/${pipeline.status.id}/settings`)
        .send({ timeoutMinutes: 0, notifications: 'all' });
      expect(saved.status).toBe(200);
      expect(saved.body.spec.notifications).toBe('all');

      await runToEnd(pipeline.status.id, 'pass');
      await waitForTitle(ALICE, name, `${name} #1 succeeded`);

      // Left out: unchanged.
      const again = await devops.http
        .put(`/api/devops/pipelines/${pipeline.status.id}/settings`)
        .send({ timeoutMinutes: 5 });
      expect(again.body.spec).toMatchObject({
        timeoutMinutes: 5,
        notifications: 'all',
      });

      const refused = await devops.http
        .put(`/api/devops/pipelines/${pipeline.status.id}/settings`)
        .send({ timeoutMinutes: 5, notifications: 'sometimes' });
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toContain(
        'notifications: must be off, failures or all',
      );
    });
  });
});

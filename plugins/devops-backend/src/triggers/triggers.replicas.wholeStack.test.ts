import type {
  Run,
  TriggerActivity,
} from '@devops-pipelines/plugin-devops-common';
import { isFinalStatus } from '@devops-pipelines/plugin-devops-common';
import webhookExamples from '@octokit/webhooks-examples';
import { createHmac, randomUUID } from 'crypto';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { adminClient } from '../__testUtils__/wholeStack/demoPortal';
import {
  type PortalProcess,
  usePortalProcesses,
} from '../__testUtils__/wholeStack/portalProcesses';
import { eventually } from '../kubernetes/__testUtils__/testCluster';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';
import { TestRepository } from '../scm/__testUtils__/TestRepository';

jest.setTimeout(300_000);

const JACK = 'component:default/jack-2048';
const GITHUB_SECRET = 'replicas-github-webhook-secret';
const REPOSITORIES = 4;
/** On each repository: two pipelines on the pushed branch, one on another branch. */
const BRANCHES = ['master', 'master', 'release'];
const DELIVERIES_PER_REPOSITORY = 8;
const MINUTE = 60_000;

type Api = Awaited<ReturnType<typeof adminClient>>;

type Delivery = {
  id: string;
  repository: number;
  commit: string;
  /** The replica GitHub's request reached. */
  replica: number;
  /** Sent to the other replica too: at the same time, or once the first was answered. */
  again?: 'concurrently' | 'afterwards';
};

/** The clone URL a pipeline names and a push reports; git fetches it from a local copy. */
const githubUrl = (k: number) =>
  `https://github.com/codertocat/replicas-${k}.git`;

/** GitHub's published push example, moved to repository `k` and commit `commit`. */
function pushOf(k: number, commit: string) {
  const push: any = structuredClone(
    webhookExamples
      .find(d => d.name === 'push')!
      .examples.find((p: any) => p.ref === 'refs/heads/master' && !p.deleted),
  );
  const { repository } = push;
  repository.full_name = `codertocat/replicas-${k}`;
  repository.html_url = `https://github.com/codertocat/replicas-${k}`;
  repository.clone_url = githubUrl(k);
  repository.ssh_url = `git@github.com:codertocat/replicas-${k}.git`;
  repository.git_url = `git://github.com/codertocat/replicas-${k}.git`;
  push.after = commit;
  push.head_commit.id = commit;
  return push;
}

/** Posts a signed delivery to a replica's ingress, as GitHub (or a load balancer) does. */
async function deliver(portal: PortalProcess, delivery: Delivery) {
  const body = JSON.stringify(pushOf(delivery.repository, delivery.commit));
  const signature = createHmac('sha256', GITHUB_SECRET)
    .update(body)
    .digest('hex');
  const response = await fetch(`${portal.baseUrl}/api/events/http/github`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'X-GitHub-Event': 'push',
      'X-GitHub-Delivery': delivery.id,
      'X-Hub-Signature-256': `sha256=${signature}`,
    },
    body,
  });
  return response.status;
}

/** Runs `jobs`, `width` at a time. */
async function inParallel(jobs: Array<() => Promise<void>>, width: number) {
  const queue = [...jobs];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) await job();
    }),
  );
}

/*
 * Two backend replicas, real processes, on one PostgreSQL database, with the events
 * backend's GitHub ingress as the portal installs it: pipelines with a timer firing every
 * minute and push triggers, started at once by the fire time, by signed GitHub deliveries
 * posted to either replica (some of them to both, as a load balancer retrying sends them)
 * and by manual runs. Each fire time and each delivery starts one run per pipeline it
 * matches, whichever replicas saw it; BUILD_IDs stay contiguous; each run executes once.
 */
describe('triggers on two replicas on one database', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-trigger-repos-'));
  const portals = usePortalProcesses(
    'triggers',
    {
      executor: {
        type: 'local',
        // Runs check out the "GitHub" repositories from local copies (file URLs).
        local: {
          enabled: true,
          workspaceDir: path.join(tmp, 'workspaces'),
          allowFileUrls: true,
        },
      },
    },
    { events: { modules: { github: { webhookSecret: GITHUB_SECRET } } } },
  );
  const { markers } = portals;
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  const runsOf = async (api: Api, pipelineId: string): Promise<Run[]> =>
    (await api('GET', `/pipelines/${pipelineId}/runs?limit=100`)).items;
  const activityOf = async (
    api: Api,
    pipelineId: string,
  ): Promise<TriggerActivity[]> =>
    (await api('GET', `/pipelines/${pipelineId}/triggers`)).activity;

  it('starts one run per fire time and per delivery across replicas, numbered without gaps, each executed once', async () => {
    // No GitHub here: each repository is a local one that git reaches under the GitHub URL
    // (url.<file URL>.insteadOf), with a commit of its own for every delivery, so every
    // run checks out what its push names and executes its script.
    const commits: string[][] = [];
    const rewrites: Record<string, string> = {};
    for (let k = 0; k < REPOSITORIES; k++) {
      const repository = TestRepository.create(path.join(tmp, `repo-${k}`));
      repository.switchTo('release');
      repository.switchTo('master');
      commits.push(
        Array.from({ length: DELIVERIES_PER_REPOSITORY }, (_, d) =>
          repository.commit({ 'delivery.txt': `${d}\n` }, `Delivery ${d}`),
        ),
      );
      rewrites[`GIT_CONFIG_KEY_${k}`] = `url.${repository.url}.insteadOf`;
      rewrites[`GIT_CONFIG_VALUE_${k}`] = githubUrl(k);
    }
    rewrites.GIT_CONFIG_COUNT = String(REPOSITORIES);

    // The backends inherit the rewrites from this process's environment; nothing else here
    // runs git with them.
    Object.assign(process.env, rewrites);
    let replicas: PortalProcess[];
    try {
      // One after the other, as a rollout starts them: the first creates the databases.
      replicas = [await portals.start(), await portals.start()];
    } finally {
      for (const name of Object.keys(rewrites)) delete process.env[name];
    }
    const apis = await Promise.all(replicas.map(adminClient));
    const [api] = apis;

    // Each execution notes its pipeline, BUILD_ID and commit: what ran, and how often.
    const pipelines: Array<{ id: string; repository: number; branch: string }> =
      [];
    for (let k = 0; k < REPOSITORIES; k++) {
      for (const [b, branch] of BRANCHES.entries()) {
        const i = pipelines.length;
        const document = pipelineDocument({
          name: `triggers-${k}-${b}`,
          entityRef: JACK,
          scripts: [
            `echo "$BUILD_ID $GIT_COMMIT" >> ${path.join(markers, `p${i}`)}`,
          ],
          triggers: {
            schedule: { every: 'minutes', interval: 1 },
            events: { push: true, merge: false, tag: false },
          },
        });
        document.spec.source = {
          provider: 'github',
          repository: githubUrl(k),
          branch,
        };
        // Registered by hand: there is no GitHub to register the webhook on.
        const pipeline = await api(
          'POST',
          '/pipelines?webhook=manual',
          document,
        );
        pipelines.push({ id: pipeline.status.id, repository: k, branch });
      }
    }

    // The first fire time of each, a whole minute; pipelines saved either side of a
    // minute fire first a minute apart, and `fireAt` is the later one.
    const firstFires = await Promise.all(
      pipelines.map(async ({ id }) =>
        Date.parse(
          (
            await api('GET', `/pipelines/${id}/triggers`)
          ).nextFireTimes[0],
        ),
      ),
    );
    const fireAt = Math.max(...firstFires);
    const fireTimesOf = (i: number) =>
      Array.from({ length: (fireAt - firstFires[i]) / MINUTE + 1 }, (_, n) =>
        new Date(firstFires[i] + n * MINUTE).toISOString(),
      );

    // Deliveries alternate between the replicas; one in four is also sent to the other
    // replica at the same moment, one in four to the other once the first was answered.
    const deliveries: Delivery[] = commits.flatMap((list, repository) =>
      list.map((commit, d) => ({
        id: randomUUID(),
        repository,
        commit,
        replica: d % 2,
        again: (['concurrently', 'afterwards', undefined, undefined] as const)[
          d % 4
        ],
      })),
    );
    const answers: number[] = [];
    const send = async (delivery: Delivery, replica: number) => {
      answers.push(await deliver(replicas[replica], delivery));
    };
    const jobs: Array<() => Promise<void>> = deliveries.map(
      delivery => async () => {
        const other = 1 - delivery.replica;
        if (delivery.again === 'concurrently') {
          await Promise.all([
            send(delivery, delivery.replica),
            send(delivery, other),
          ]);
        } else {
          await send(delivery, delivery.replica);
          if (delivery.again === 'afterwards') await send(delivery, other);
        }
      },
    );
    // A manual run of each pipeline among them, on either replica.
    pipelines.forEach(({ id }, i) =>
      jobs.splice(i * 3, 0, async () => {
        await apis[i % 2]('POST', `/pipelines/${id}/runs`, {});
      }),
    );

    // Sent just before the fire time, while the timer's transaction holds the pipelines
    // (it queues a minute's runs ahead and commits on the minute): the deliveries and
    // manual runs wait for it, then all take BUILD_IDs of the same pipelines at once.
    await new Promise(resolve =>
      setTimeout(resolve, Math.max(0, fireAt - 150 - Date.now())),
    );
    await inParallel(jobs, 16);
    expect(answers.filter(status => status !== 202)).toEqual([]);

    await eventually(
      'the fire time to start every pipeline',
      async () => {
        const fired = await Promise.all(
          pipelines.map(async ({ id }) =>
            (
              await runsOf(api, id)
            ).some(
              run => run.trigger.fireTime === new Date(fireAt).toISOString(),
            ),
          ),
        );
        return fired.every(Boolean) ? true : undefined;
      },
      { timeoutMs: 90_000, intervalMs: 500 },
    );
    // The timer off again, so that the next minute adds nothing while the runs end.
    for (const { id } of pipelines) {
      await api('PUT', `/pipelines/${id}/triggers`, {
        events: { push: true, merge: false, tag: false },
      });
    }

    const matching = (i: number) => pipelines[i].branch === 'master';
    const expectedRuns = (i: number) =>
      fireTimesOf(i).length + 1 + (matching(i) ? DELIVERIES_PER_REPOSITORY : 0);
    // Every run exists by now: a delivery's are queued before its 202, the fire time's
    // were seen, and the manual ones were answered.
    let seen: Run[][] = [];
    const all = await eventually(
      'every run to end',
      async () => {
        seen = await Promise.all(pipelines.map(({ id }) => runsOf(api, id)));
        const done = seen.every(runs =>
          runs.every(run => isFinalStatus(run.status)),
        );
        return done ? seen : undefined;
      },
      {
        timeoutMs: 120_000,
        intervalMs: 500,
        describeLast: () =>
          JSON.stringify(
            seen.map(runs =>
              runs.map(
                run => `${run.buildId} ${run.trigger.type} ${run.status}`,
              ),
            ),
          ),
      },
    );

    for (const [i, { id, repository }] of pipelines.entries()) {
      const runs = all[i];
      const context = `pipeline ${i} (repository ${repository}, ${pipelines[i].branch})`;
      expect({ context, count: runs.length }).toEqual({
        context,
        count: expectedRuns(i),
      });
      // BUILD_IDs 1..n, each once, whichever replica and trigger queued them.
      expect(runs.map(run => run.buildId).sort((a, b) => a - b)).toEqual(
        Array.from({ length: runs.length }, (_, n) => n + 1),
      );
      expect(runs.filter(run => run.status !== 'succeeded')).toEqual([]);

      // Each fire time once; each delivery once where it matches, never elsewhere; and
      // the manual run.
      const byType = (type: string) =>
        runs.filter(run => run.trigger.type === type);
      expect(
        byType('schedule')
          .map(run => run.trigger.fireTime)
          .sort(),
      ).toEqual(fireTimesOf(i));
      expect(
        byType('push')
          .map(run => run.commit)
          .sort(),
      ).toEqual(matching(i) ? [...commits[repository]].sort() : []);
      expect(byType('manual')).toHaveLength(1);

      // Executed once each, on its commit, and nothing that no run accounts for.
      const executed = fs
        .readFileSync(path.join(markers, `p${i}`), 'utf8')
        .split('\n')
        .filter(Boolean)
        .sort();
      expect(executed).toEqual(
        runs.map(run => `${run.buildId} ${run.commit}`).sort(),
      );

      // The panel says the same: a delivery seen again started nothing, and says so.
      const activity = await activityOf(api, id);
      const outcomes = (source: string, outcome: string) =>
        activity.filter(a => a.source === source && a.outcome === outcome)
          .length;
      const repeated = deliveries.filter(
        d => d.repository === repository && d.again,
      ).length;
      expect({
        context,
        fires: outcomes('schedule', 'started'),
        started: outcomes('github', 'started'),
        skipped: outcomes('github', 'skipped'),
        duplicates: outcomes('github', 'duplicate'),
      }).toEqual({
        context,
        fires: fireTimesOf(i).length,
        started: matching(i) ? DELIVERIES_PER_REPOSITORY : 0,
        skipped: matching(i) ? 0 : DELIVERIES_PER_REPOSITORY,
        duplicates: repeated,
      });
      expect(
        activity
          .filter(a => a.outcome === 'started')
          .map(a => a.run?.buildId)
          .sort((a, b) => a! - b!),
      ).toEqual(
        runs
          .filter(run => run.trigger.type !== 'manual')
          .map(run => run.buildId)
          .sort((a, b) => a - b),
      );
    }
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { Task } from '@devops-pipelines/plugin-devops-common';
import { loadKubernetesClient } from '../../kubernetes/loadKubernetesClient';
import { useTestNamespace } from '../../kubernetes/__testUtils__/testCluster';
import { CHART_CREDENTIALS_DIR } from '../chartRepository';
import { planInput, testClusters, testTools } from '../__testUtils__/planInput';
import { ScriptHarness } from '../__testUtils__/scriptHarness';
import type { PodTaskPlan, TaskToolSettings } from '../types';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
import { DEPLOY_FILES_DIR } from './deployChartScript';
import { planDeployChart } from './planDeployChart';

const task = (fields: Partial<Task> = {}): Task =>
  ({
    name: 'release',
    type: 'deployChart',
    release: 'web',
    chart: 'nginx',
    version: '6.0.1-alpha.42',
    cluster: 'prod',
    namespace: 'web shop',
    // helm creates it: the planner need not look it up on the (unreachable) cluster.
    createNamespace: true,
    values: {
      replicaCount: 2,
      image: { tag: `it's "alpha 42"` },
      token: 's3cr3t',
    },
    ...fields,
  } as Task);

async function prodKubeConfig() {
  const { KubeConfig } = await loadKubernetesClient();
  const kc = new KubeConfig();
  kc.loadFromOptions({
    clusters: [
      {
        name: 'prod',
        server: 'https://prod.example.com:6443',
        skipTLSVerify: false,
        caData: Buffer.from('CA').toString('base64'),
      },
    ],
    users: [{ name: 'devops', token: 'prod-token' }],
    contexts: [{ name: 'prod', cluster: 'prod', user: 'devops' }],
    currentContext: 'prod',
  });
  return kc;
}

async function plan(
  fields: Partial<Task> = {},
  tools: TaskToolSettings = testTools,
): Promise<PodTaskPlan> {
  const planned = await planDeployChart(
    planInput(task(fields), {
      tools,
      clusters: testClusters({ prod: await prodKubeConfig() }),
    }),
  );
  if (planned.kind !== 'pod') throw new Error('deployChart must run in a pod');
  return planned;
}

describe('planDeployChart', () => {
  it('runs helm upgrade --install with the fields as arguments and the kubeconfig and values as secret files', async () => {
    const { container, secretFiles, mountedSecrets } = await plan();
    expect(container.image).toBe('alpine/helm:3.16.4');
    expect(container.command?.slice(0, 2)).toEqual(['sh', '-c']);
    expect(container.command?.slice(3)).toEqual([
      'deploy-chart',
      'web',
      'nginx',
      '6.0.1-alpha.42',
      'web shop',
      'chartmuseum',
      'https://charts.example.com',
      'true',
    ]);
    expect(JSON.stringify(container)).not.toContain('s3cr3t');
    expect(JSON.stringify(container)).not.toContain('prod-token');

    expect(secretFiles?.mountPath).toBe(DEPLOY_FILES_DIR);
    expect(parse(secretFiles!.files['values.yaml'])).toEqual({
      replicaCount: 2,
      image: { tag: `it's "alpha 42"` },
      token: 's3cr3t',
    });
    expect(parse(secretFiles!.files.kubeconfig)).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [
        {
          name: 'target',
          cluster: {
            server: 'https://prod.example.com:6443',
            'certificate-authority-data': Buffer.from('CA').toString('base64'),
          },
        },
      ],
      users: [{ name: 'target', user: { token: 'prod-token' } }],
      contexts: [
        { name: 'target', context: { cluster: 'target', user: 'target' } },
      ],
      'current-context': 'target',
    });
    expect(mountedSecrets).toEqual([
      {
        secretName: 'chart-push',
        mountPath: CHART_CREDENTIALS_DIR,
        items: [
          { key: 'username', path: 'username' },
          { key: 'password', path: 'password' },
        ],
      },
    ]);
  });

  it('writes empty values when the task has none', async () => {
    const { secretFiles } = await plan({ values: undefined });
    expect(secretFiles?.files['values.yaml']).toBe('{}\n');
  });

  it('fails clearly when no chart repository is configured', async () => {
    await expect(
      plan({}, { ...testTools, chartRepository: undefined }),
    ).rejects.toThrow(
      'No chart repository is configured for DevOps, so there is nowhere to install the chart from; ask the portal admin to set devops.chartRepository (type, url, credentialsSecret) in app-config.yaml',
    );
  });

  it('fails with the cluster directory message for an unknown cluster', async () => {
    await expect(plan({ cluster: 'staging' })).rejects.toThrow(
      new TaskPlanError(
        'Cannot deploy to cluster staging: cluster staging is not configured in the portal',
      ),
    );
  });
});

describe('planDeployChart on a cluster, without "create namespace if missing"', () => {
  const cluster = useTestNamespace('deploy-chart');
  const planOn = (fields: Partial<Task>) =>
    planDeployChart(
      planInput(task({ cluster: 'local', createNamespace: false, ...fields }), {
        tools: testTools,
        clusters: testClusters({ local: cluster.kubeConfig }),
      }),
    );

  it('fails before any pod starts when the namespace is missing, naming the option', async () => {
    const missing = `${cluster.namespace}-missing`;
    await expect(planOn({ namespace: missing })).rejects.toThrow(
      new TaskPlanError(
        `Namespace ${missing} does not exist on cluster local; create it, or turn on "Create the namespace if it is missing" in the task`,
      ),
    );
  });

  it('deploys into a namespace that exists, and has helm create none', async () => {
    const planned = await planOn({ namespace: cluster.namespace });
    if (planned.kind !== 'pod')
      throw new Error('deployChart must run in a pod');
    expect(planned.container.command?.slice(-1)).toEqual(['false']);
  });
});

/** Stands in for helm: writes each argument on its own line, in brackets. */
const FAKE_HELM = `for arg in "$@"; do printf '[%s]\\n' "$arg"; done >> "$FAKE_LOG"
echo --- >> "$FAKE_LOG"
if [ "$1" = registry ]; then printf 'password on stdin: %s\\n---\\n' "$(cat)" >> "$FAKE_LOG"; fi
`;

describe('the deploy script', () => {
  let harness: ScriptHarness;
  afterEach(() => harness?.remove());

  const credentials = { username: 'ci-bot', password: `p@ss w:rd'"$x` };

  async function deploy(
    repository: TaskToolSettings['chartRepository'],
    withCredentials: boolean,
    createNamespace = true,
  ) {
    harness = new ScriptHarness(['sh', 'cat'], { helm: FAKE_HELM });
    const credentialsDir = harness.dir(
      'credentials',
      withCredentials ? credentials : {},
    );
    const { container } = await plan(
      {},
      { ...testTools, chartRepository: repository },
    );
    const command = container.command!.map(part =>
      part.replaceAll(CHART_CREDENTIALS_DIR, credentialsDir),
    );
    // The last argument says whether helm creates the namespace.
    command[command.length - 1] = String(createNamespace);
    const log = path.join(harness.root, 'helm.log');
    const result = await harness.run(command, { FAKE_LOG: log });
    const calls = fs
      .readFileSync(log, 'utf8')
      .split('---\n')
      .filter(Boolean)
      .map(call => call.split('\n').filter(Boolean));
    return { ...result, calls };
  }

  const upgrade = [
    '[upgrade]',
    '[--install]',
    '[web]',
    '[--version]',
    '[6.0.1-alpha.42]',
    '[--namespace]',
    '[web shop]',
    '[--wait]',
    '[--kubeconfig]',
    `[${DEPLOY_FILES_DIR}/kubeconfig]`,
    '[--values]',
    `[${DEPLOY_FILES_DIR}/values.yaml]`,
    '[--create-namespace]',
  ];

  it('installs from a ChartMuseum with its credentials', async () => {
    const result = await deploy(testTools.chartRepository, true);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.calls).toEqual([
      [
        ...upgrade,
        '[--username]',
        '[ci-bot]',
        '[--password]',
        `[${credentials.password}]`,
        '[nginx]',
        '[--repo]',
        '[https://charts.example.com]',
      ],
    ]);
  });

  it('leaves the namespace to exist already when the option is off', async () => {
    const result = await deploy(testTools.chartRepository, false, false);
    expect(result.calls).toEqual([
      [
        ...upgrade.filter(arg => arg !== '[--create-namespace]'),
        '[nginx]',
        '[--repo]',
        '[https://charts.example.com]',
      ],
    ]);
  });

  it('installs from a ChartMuseum without credentials', async () => {
    const result = await deploy(testTools.chartRepository, false);
    expect(result.calls).toEqual([
      [...upgrade, '[nginx]', '[--repo]', '[https://charts.example.com]'],
    ]);
  });

  it('logs in to an OCI registry, password on stdin, and installs from it', async () => {
    const result = await deploy(
      {
        type: 'oci',
        url: 'oci://harbor.local/charts',
        credentialsSecret: 'chart-push',
      },
      true,
    );
    expect(result.stderr).toBe('');
    expect(result.calls).toEqual([
      [
        '[registry]',
        '[login]',
        '[harbor.local]',
        '[--username]',
        '[ci-bot]',
        '[--password-stdin]',
      ],
      [`password on stdin: ${credentials.password}`],
      [...upgrade, '[oci://harbor.local/charts/nginx]'],
    ]);
  });
});

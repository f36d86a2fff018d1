import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Task } from '@devops-pipelines/plugin-devops-common';
import { CHART_CREDENTIALS_DIR } from '../chartRepository';
import { planInput, testTools } from '../__testUtils__/planInput';
import { ScriptHarness } from '../__testUtils__/scriptHarness';
import type { PodTaskPlan, TaskToolSettings } from '../types';
import { WORKSPACE_SOURCE_DIR } from '../types';
import { planPublishChart } from './planPublishChart';

const task = (fields: Partial<Task> = {}): Task =>
  ({
    name: 'chart',
    type: 'publishChart',
    chartPath: 'charts/web app',
    chart: 'web',
    version: '1.2.42',
    ...fields,
  } as Task);

/** The run's variables; one value has spaces and quotes, one is a secret. */
const env = {
  BUILD_ID: '42',
  IMAGE_TAG: `it's "alpha 42"`,
  DEPLOY_TOKEN: 's3cr3t',
};

async function plan(
  fields: Partial<Task> = {},
  tools: TaskToolSettings = testTools,
): Promise<PodTaskPlan> {
  const planned = await planPublishChart(
    planInput(task(fields), { env, tools }),
  );
  if (planned.kind !== 'pod') throw new Error('publishChart must run in a pod');
  return planned;
}

describe('planPublishChart', () => {
  it('runs a script in the helm image with the fields as arguments and the repository credentials mounted', async () => {
    const { container, mountedSecrets, secretFiles } = await plan();
    expect(container.image).toBe('alpine/helm:3.16.4');
    expect(container.workingDir).toBe(WORKSPACE_SOURCE_DIR);
    const [sh, dashC, script, ...args] = container.command!;
    expect([sh, dashC]).toEqual(['sh', '-c']);
    expect(args).toEqual([
      'publish-chart',
      '/workspace/source/charts/web app',
      'web',
      '1.2.42',
      'chartmuseum',
      'https://charts.example.com',
      'BUILD_ID IMAGE_TAG DEPLOY_TOKEN',
    ]);
    // Values reach the container as environment variables, never in the pod spec.
    expect(JSON.stringify(container)).not.toContain('s3cr3t');
    expect(script).not.toContain('web app');
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
    expect(secretFiles).toBeUndefined();
  });

  it('fails clearly when no chart repository is configured', async () => {
    await expect(
      plan({}, { ...testTools, chartRepository: undefined }),
    ).rejects.toThrow(
      'No chart repository is configured for DevOps, so there is nowhere to publish the chart; ask the portal admin to set devops.chartRepository (type, url, credentialsSecret) in app-config.yaml',
    );
  });

  it('refuses a chart directory outside the repository', async () => {
    await expect(plan({ chartPath: '../charts' })).rejects.toThrow(
      'task field "chartPath" must be a path inside the repository',
    );
  });
});

/** Stands in for helm: records its arguments, packages by writing a file. */
const FAKE_HELM = `printf 'helm %s\\n' "$*" >> "$FAKE_LOG"
case "$1" in
  package)
    name=$(sed -n 's/^name: *//p' "$2/Chart.yaml")
    printf 'package of %s %s\\n' "$name" "$4" > "$6/$name-$4.tgz"
    echo "Successfully packaged chart and saved it to: $6/$name-$4.tgz"
    ;;
  registry) printf 'password on stdin: %s\\n' "$(cat)" >> "$FAKE_LOG" ;;
  push) echo "Pushed: $3" ;;
esac
`;
const SCRIPT_TOOLS = [
  'sh',
  'awk',
  'cat',
  'mktemp',
  'tr',
  'base64',
  'ls',
  'sed',
];

const VALUES_YAML = `image:
  tag: "\${IMAGE_TAG}"
build: \${BUILD_ID}-\${BUILD_ID}
home: \${HOME}
other: \${NOT_A_VARIABLE} and $BUILD_ID
`;

type Upload = { url?: string; headers: http.IncomingHttpHeaders; body: string };

describe('the publish script', () => {
  let harness: ScriptHarness;
  let server: http.Server;
  let uploads: Upload[];
  let answer: { status: number; body: string };

  beforeEach(async () => {
    uploads = [];
    answer = { status: 201, body: '{"saved":true}' };
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => (body += chunk));
      req.on('end', () => {
        uploads.push({ url: req.url, headers: req.headers, body });
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(answer.body);
      });
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  });

  afterEach(async () => {
    harness?.remove();
    await new Promise(resolve => server.close(resolve));
  });

  const museumUrl = () =>
    `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  /** Runs the planned container here: the workspace and credentials in temp folders. */
  async function publish(options: {
    tools: string[];
    chartFiles?: Record<string, string>;
    credentials?: { username: string; password: string };
    repository?: TaskToolSettings['chartRepository'];
    fields?: Partial<Task>;
  }) {
    harness = new ScriptHarness(options.tools, { helm: FAKE_HELM });
    const source = harness.dir('source');
    harness.dir(
      'source/charts/web app',
      options.chartFiles ?? {
        'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
        'values.yaml': VALUES_YAML,
      },
    );
    const credentials = harness.dir('credentials', options.credentials ?? {});
    const { container } = await plan(options.fields, {
      ...testTools,
      chartRepository: options.repository ?? {
        type: 'chartmuseum',
        url: museumUrl(),
        credentialsSecret: 'chart-push',
      },
    });
    const command = container.command!.map(part =>
      part
        .replaceAll(CHART_CREDENTIALS_DIR, credentials)
        .replaceAll(WORKSPACE_SOURCE_DIR, source),
    );
    const log = path.join(harness.root, 'helm.log');
    const result = await harness.run(command, {
      ...env,
      HOME: '/home/task',
      FAKE_LOG: log,
    });
    const read = (file: string) =>
      fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
    return {
      ...result,
      helmLog: read(log),
      values: read(path.join(source, 'charts/web app/values.yaml')),
    };
  }

  const credentials = { username: 'ci-bot', password: `p@ss w:rd'"$x` };
  const basicAuth = `Basic ${Buffer.from(
    `${credentials.username}:${credentials.password}`,
  ).toString('base64')}`;

  it('expands the run variables in values.yaml, keeps the rest as written and says which', async () => {
    const result = await publish({ tools: [...SCRIPT_TOOLS, 'curl'] });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.values).toBe(`image:
  tag: "it's "alpha 42""
build: 42-42
home: \${HOME}
other: \${NOT_A_VARIABLE} and $BUILD_ID
`);
    expect(result.stdout).toContain(
      'Substituted pipeline variables in values.yaml\n',
    );
    expect(result.stdout).toContain(
      'Left as written in values.yaml, as they are not pipeline variables: ${HOME} ${NOT_A_VARIABLE}',
    );
  });

  it.each(['curl', 'wget'])(
    'packages with the task version and uploads to ChartMuseum with %s and basic auth',
    async tool => {
      const result = await publish({
        tools: [...SCRIPT_TOOLS, tool],
        credentials,
      });
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.helmLog).toMatch(
        /^helm package .*\/source\/charts\/web app --version 1\.2\.42 --destination \/\S+\n$/,
      );
      expect(uploads).toHaveLength(1);
      expect(uploads[0]).toMatchObject({
        url: '/api/charts',
        body: 'package of web 1.2.42\n',
        headers: {
          authorization: basicAuth,
          'content-type': 'application/octet-stream',
        },
      });
      expect(result.stdout).toContain('{"saved":true}\n');
      expect(result.stdout).toMatch(
        /Published chart web 1\.2\.42 to http:\/\/127\.0\.0\.1:\d+\n$/,
      );
      expect(result.stdout + result.stderr).not.toContain(credentials.password);
    },
  );

  it('uploads without authorization when no credentials are mounted', async () => {
    const result = await publish({ tools: [...SCRIPT_TOOLS, 'curl'] });
    expect(result.code).toBe(0);
    expect(uploads[0].headers.authorization).toBeUndefined();
  });

  it.each(['curl', 'wget'])(
    'fails when ChartMuseum refuses the chart (%s)',
    async tool => {
      answer = { status: 409, body: '{"error":"file already exists"}' };
      const result = await publish({ tools: [...SCRIPT_TOOLS, tool] });
      expect(result.code).not.toBe(0);
      expect(result.stdout).not.toContain('Published chart');
    },
  );

  it('logs in to an OCI registry with the password on stdin and pushes there', async () => {
    const result = await publish({
      tools: SCRIPT_TOOLS,
      credentials,
      repository: {
        type: 'oci',
        url: 'oci://harbor.local:8443/charts',
        credentialsSecret: 'chart-push',
      },
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const lines = result.helmLog.split('\n');
    expect(lines[1]).toBe(
      'helm registry login harbor.local:8443 --username ci-bot --password-stdin',
    );
    expect(lines[2]).toBe(`password on stdin: ${credentials.password}`);
    expect(lines[3]).toMatch(
      /^helm push \/\S+\/web-1\.2\.42\.tgz oci:\/\/harbor\.local:8443\/charts$/,
    );
    expect(result.stdout).not.toContain(credentials.password);
  });

  it('fails when Chart.yaml names another chart than the task', async () => {
    const result = await publish({
      tools: [...SCRIPT_TOOLS, 'curl'],
      fields: { chart: 'frontend' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'helm packaged web-1.2.42.tgz, not frontend-1.2.42.tgz: the name in Chart.yaml must be the task\'s chart name "frontend"\n',
    );
    expect(uploads).toEqual([]);
  });

  it('fails when the directory holds no chart', async () => {
    const result = await publish({
      tools: [...SCRIPT_TOOLS, 'curl'],
      chartFiles: { 'README.md': 'not a chart' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /^There is no Chart\.yaml in \/\S+\/source\/charts\/web app: the chart directory must be the folder that holds the chart's Chart\.yaml\n$/,
    );
  });

  it('packages a chart without values.yaml as it is', async () => {
    const result = await publish({
      tools: [...SCRIPT_TOOLS, 'curl'],
      chartFiles: {
        'Chart.yaml': 'apiVersion: v2\nname: web\nversion: 0.1.0\n',
      },
    });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'The chart has no values.yaml: nothing to substitute\n',
    );
  });
});

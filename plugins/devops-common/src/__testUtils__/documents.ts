import type { z } from 'zod';
import { formatIssuePath } from '../model/validation';

/**
 * The example document of DESIGN.md ("The pipeline document"), written as the object a
 * client POSTs. Built fresh on each call so a test may change it.
 */
export function designExampleDocument(): Record<string, any> {
  return {
    apiVersion: 'devops.backstage.io/v1',
    kind: 'Pipeline',
    metadata: {
      name: 'deploy-2048-yaml',
      title: 'YAML deploy of the 2048 game',
      entityRef: 'component:default/jack-2048',
    },
    spec: {
      source: {
        provider: 'gitlab',
        repository: 'https://gitlab.example.com/qa/jack-2048.git',
        branch: 'master',
      },
      parameters: [
        { name: 'REGISTRY_HOST', value: 'hub.example.com' },
        { name: 'DEPLOY_TOKEN', value: 's3cr3t', secret: true },
      ],
      stages: [
        {
          name: 'Build',
          order: 'sequential',
          tasks: [
            {
              name: 'build-2048-game',
              type: 'buildImage',
              dockerfile: 'Dockerfile',
              image: 'jack-2048',
              tag: 'alpha-${BUILD_ID}',
              workspace: 'devops',
            },
          ],
        },
        {
          name: 'Test',
          tasks: [
            {
              name: 'unit-tests',
              type: 'runScript',
              image: 'node',
              tag: '22-alpine',
              script:
                'npm ci && npm test\necho "VERSION=1.2.${BUILD_ID}" >> "$DEVOPS_OUTPUT"\n',
              env: [{ name: 'CI', value: 'true' }],
            },
          ],
        },
        {
          name: 'Deploy',
          tasks: [
            {
              name: 'deploy',
              type: 'deployYaml',
              file: '2048_env.yaml',
              cluster: 'prod',
              namespace: 'web',
            },
            {
              name: 'chart',
              type: 'publishChart',
              chartPath: 'nginx',
              chart: 'nginx',
              version: '6.0.1-alpha.${BUILD_ID}',
            },
            {
              name: 'release',
              type: 'deployChart',
              release: 'nginx',
              chart: 'nginx',
              version: '6.0.1-alpha.${BUILD_ID}',
              cluster: 'prod',
              namespace: 'web',
              values: { replicaCount: 2 },
            },
          ],
        },
      ],
      triggers: {
        events: { push: true, merge: false, tag: false },
        schedule: { every: 'minutes', interval: 5 },
      },
      timeoutMinutes: 20,
    },
  };
}

/** A valid task of each type, with every required field and nothing else. */
export const minimalTasks = {
  runScript: {
    name: 'test',
    type: 'runScript',
    image: 'node',
    tag: '22',
    script: 'npm test',
  },
  buildImage: {
    name: 'build',
    type: 'buildImage',
    dockerfile: 'Dockerfile',
    image: 'app',
    tag: 'v1',
    workspace: 'devops',
  },
  deployYaml: {
    name: 'deploy',
    type: 'deployYaml',
    file: 'k8s.yaml',
    cluster: 'prod',
    namespace: 'web',
  },
  publishChart: {
    name: 'chart',
    type: 'publishChart',
    chartPath: 'charts/app',
    chart: 'app',
    version: '1.0.0',
  },
  deployChart: {
    name: 'release',
    type: 'deployChart',
    release: 'app',
    chart: 'app',
    version: '1.0.0',
    cluster: 'prod',
    namespace: 'web',
  },
} as const;

/** The smallest valid document: one stage with one script task. */
export function minimalDocument(): Record<string, any> {
  return {
    apiVersion: 'devops.backstage.io/v1',
    kind: 'Pipeline',
    metadata: { name: 'hello', entityRef: 'component:default/hello' },
    spec: {
      stages: [{ name: 'Build', tasks: [{ ...minimalTasks.runScript }] }],
    },
  };
}

/** A document whose only stage holds the given tasks. */
export function documentWithTasks(...tasks: object[]): Record<string, any> {
  const doc = minimalDocument();
  doc.spec.stages = [{ name: 'Build', tasks }];
  return doc;
}

/** The issues a schema reports for an input, as `path: message` strings. */
export function issuesOf(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input);
  if (result.success) {
    throw new Error(
      `expected the input to be rejected, it parsed as ${JSON.stringify(
        result.data,
      )}`,
    );
  }
  return result.error.issues.map(
    issue => `${formatIssuePath(issue.path)}: ${issue.message}`,
  );
}

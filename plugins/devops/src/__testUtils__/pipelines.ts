import type { Pipeline } from '@devops-pipelines/plugin-devops-common';

/** A pipeline as the API returns it, with the parts a test cares about overridden. */
export function makePipeline(
  overrides: {
    id?: string;
    name?: string;
    title?: string;
    active?: boolean;
    lastRun?: Pipeline['status']['lastRun'];
    source?: Pipeline['spec']['source'];
  } = {},
): Pipeline {
  const name = overrides.name ?? 'deploy-2048-yaml';
  return {
    apiVersion: 'devops.backstage.io/v1',
    kind: 'Pipeline',
    metadata: {
      name,
      title: overrides.title,
      entityRef: 'component:default/jack-2048',
    },
    spec: {
      source: overrides.source,
      stages: [
        {
          name: 'Test',
          order: 'sequential',
          tasks: [
            {
              name: 'unit-tests',
              type: 'runScript',
              image: 'node',
              tag: '22-alpine',
              script: 'npm test',
            },
          ],
        },
      ],
    },
    status: {
      id: overrides.id ?? `id-${name}`,
      version: 1,
      active: overrides.active ?? true,
      createdBy: 'user:default/jack',
      createdAt: '2026-11-20T08:00:00Z',
      updatedAt: '2026-11-20T08:00:00Z',
      lastRun: overrides.lastRun,
    },
  };
}

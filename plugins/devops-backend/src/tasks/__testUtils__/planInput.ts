import type { KubeConfig } from '@kubernetes/client-node';
import type { Task } from '@devops-pipelines/plugin-devops-common';
import type { ClusterDirectory } from '../../clusters/types';
import type { PlanInput, TaskToolSettings } from '../types';

export const testTools: TaskToolSettings = {
  images: {
    git: 'alpine/git:2.47.2',
    kaniko: 'gcr.io/kaniko-project/executor:v1.23.2',
    helm: 'alpine/helm:3.16.4',
  },
  registry: { host: 'hub.example.com', credentialsSecret: 'registry-push' },
  chartRepository: {
    type: 'chartmuseum',
    url: 'https://charts.example.com',
    credentialsSecret: 'chart-push',
  },
};

/** Knows the clusters it is given; the planners only ask it for client configurations. */
export function testClusters(
  known: Record<string, KubeConfig>,
): ClusterDirectory {
  const unused = () => {
    throw new Error('not used by task planners');
  };
  return {
    async kubeConfig(name) {
      const kc = known[name];
      if (!kc)
        throw new Error(`cluster ${name} is not configured in the portal`);
      return kc;
    },
    bindingForPipeline: unused,
    hasBindings: unused,
    reportProblem: unused,
  };
}

export function planInput(
  task: Task,
  overrides: Partial<Omit<PlanInput, 'task'>> = {},
): PlanInput {
  return {
    task,
    env: { BUILD_ID: '42' },
    tools: testTools,
    clusters: testClusters({}),
    ...overrides,
  };
}

import type {
  PipelineSpec,
  Run,
  Task,
} from '@devops-pipelines/plugin-devops-common';

export const scriptTask = (name: string): Task => ({
  name,
  type: 'runScript',
  image: 'node',
  tag: '22-alpine',
  script: 'npm test',
});

/** A pipeline of `stages` stages of `tasks` script tasks each. */
export function largeSpec(stages: number, tasks: number): PipelineSpec {
  return {
    stages: Array.from({ length: stages }, (_, s) => ({
      name: `Stage ${s + 1}`,
      order: 'sequential' as const,
      tasks: Array.from({ length: tasks }, (__, t) =>
        scriptTask(`task-${s + 1}-${t + 1}`),
      ),
    })),
  };
}

/** Build (compile, package) then Deploy (release), from GitLab. */
export function sampleSpec(): PipelineSpec {
  return {
    source: {
      provider: 'gitlab',
      repository: 'https://gitlab.example.com/qa/jack-2048.git',
      branch: 'master',
    },
    stages: [
      {
        name: 'Build',
        order: 'sequential',
        tasks: [scriptTask('compile'), scriptTask('package')],
      },
      {
        name: 'Deploy',
        order: 'parallel',
        tasks: [
          {
            name: 'release',
            type: 'deployYaml',
            file: 'deploy.yaml',
            cluster: 'prod',
            namespace: 'web',
          },
        ],
      },
    ],
  };
}

/** A run of sampleSpec: compile succeeded, package failed, Deploy skipped. */
export function sampleRun(): Run {
  return {
    id: 'run-1',
    pipelineId: 'p-1',
    pipelineName: 'jack-2048',
    buildId: 7,
    status: 'failed',
    trigger: { type: 'manual', user: 'user:default/jack' },
    paramNames: [],
    queuedAt: '2026-11-20T08:00:00Z',
    setup: [],
    stages: [
      {
        name: 'Build',
        order: 'sequential',
        status: 'failed',
        tasks: [
          {
            id: 't1',
            name: 'compile',
            type: 'runScript',
            status: 'succeeded',
            durationMs: 12000,
          },
          {
            id: 't2',
            name: 'package',
            type: 'runScript',
            status: 'failed',
            message: 'exit code 2',
          },
        ],
      },
      {
        name: 'Deploy',
        order: 'parallel',
        status: 'skipped',
        tasks: [
          { id: 't3', name: 'release', type: 'deployYaml', status: 'skipped' },
        ],
      },
    ],
  };
}

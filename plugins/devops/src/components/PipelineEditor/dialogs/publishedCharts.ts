import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';

export type PublishedChart = { chart: string; version: string };

/**
 * Charts that "Build and publish chart" tasks before this point publish: what a Deploy
 * chart task in stage `stage` can install besides the chart repository's (SPEC §4).
 */
export function chartsPublishedBefore(
  spec: PipelineSpec,
  stage: number,
  task: number = spec.stages[stage]?.tasks.length ?? 0,
): PublishedChart[] {
  const found = new Map<string, PublishedChart>();
  spec.stages.slice(0, stage + 1).forEach((s, index) => {
    const tasks = index === stage ? s.tasks.slice(0, task) : s.tasks;
    for (const t of tasks) {
      if (t.type === 'publishChart') {
        found.set(`${t.chart}@${t.version}`, {
          chart: t.chart,
          version: t.version,
        });
      }
    }
  });
  return [...found.values()];
}

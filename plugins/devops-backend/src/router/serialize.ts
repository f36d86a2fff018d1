import type {
  Pipeline,
  Run,
  RunStatus,
  RunSummary,
  SetupStepRun,
  StageRun,
} from '@devops-pipelines/plugin-devops-common';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import type {
  PipelineRecord,
  RunRecord,
  SetupStepRecord,
  TaskRunRecord,
} from '../database/types';

const durationMs = (start?: string, end?: string) =>
  start
    ? new Date(end ?? Date.now()).getTime() - new Date(start).getTime()
    : undefined;

/** The summary lists show; built field by field so nothing secret slips out. */
export function toRunSummary(run: RunRecord): RunSummary {
  return {
    id: run.id,
    buildId: run.buildId,
    status: run.status,
    trigger: run.trigger,
    commit: run.commit,
    branch: run.branch,
    queuedAt: run.queuedAt,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    durationMs: durationMs(run.startedAt, run.finishedAt),
  };
}

export function toApiPipeline(
  record: PipelineRecord,
  lastRun?: RunRecord,
): Pipeline {
  return {
    ...record.document,
    status: {
      id: record.id,
      version: record.version,
      active: record.active,
      createdBy: record.createdBy,
      createdAt: record.createdAt,
      updatedAt: record.updatedAt,
      ...(lastRun ? { lastRun: toRunSummary(lastRun) } : {}),
    },
  };
}

/** A stage's status follows from its tasks: the worst one wins, else the furthest along. */
function stageStatus(tasks: TaskRunRecord[]): RunStatus {
  const has = (s: RunStatus) => tasks.some(t => t.status === s);
  for (const status of [
    'failed',
    'timedOut',
    'stopped',
    'running',
    'waiting',
  ] as const) {
    if (has(status)) return status;
  }
  if (tasks.every(t => t.status === 'succeeded')) return 'succeeded';
  if (tasks.every(t => t.status === 'skipped')) return 'skipped';
  if (has('succeeded')) return 'running';
  return 'queued';
}

/** A repository's name without its host, owner and `.git`: "shop" for …/acme/shop.git. */
const repositoryName = (url: string) =>
  url
    .replace(/\.git\/?$/, '')
    .replace(/\/+$/, '')
    .replace(/^.*[/:]/, '');

/** "Initialisation"; "Checkout shop@a6a16470" once the commit is known, "…@main" before. */
export function setupStepName(step: SetupStepRecord, run: RunRecord): string {
  if (step.step === 'initialisation') return 'Initialisation';
  const { source } = run.spec;
  if (!source) return 'Checkout (no source)';
  const at = run.commit ? run.commit.slice(0, 8) : run.branch ?? source.branch;
  return `Checkout ${repositoryName(source.repository)}@${at}`;
}

function toApiSetupStep(step: SetupStepRecord, run: RunRecord): SetupStepRun {
  return {
    step: step.step,
    name: setupStepName(step, run),
    status: step.status,
    startedAt: step.startedAt,
    finishedAt: step.finishedAt,
    durationMs: durationMs(step.startedAt, step.finishedAt),
    ...(step.message ? { message: step.message } : {}),
  };
}

/** A run as the API returns it, with its set-up steps and tasks read from the store. */
export async function loadApiRun(
  runs: DatabaseRunStore,
  run: RunRecord,
): Promise<Run> {
  const [setupSteps, taskRuns] = await Promise.all([
    runs.listSetupSteps(run.id),
    runs.listTaskRuns(run.id),
  ]);
  return toApiRun(run, setupSteps, taskRuns);
}

function toApiRun(
  run: RunRecord,
  setupSteps: SetupStepRecord[],
  taskRuns: TaskRunRecord[],
): Run {
  const stages: StageRun[] = run.spec.stages.map((stage, stageIndex) => {
    const records = taskRuns.filter(t => t.stageIndex === stageIndex);
    const starts = records.map(t => t.startedAt).filter(Boolean) as string[];
    const ends = records.map(t => t.finishedAt).filter(Boolean) as string[];
    const startedAt = starts.sort()[0];
    const status = stageStatus(records);
    const finishedAt =
      ends.length === records.length ? ends.sort()[ends.length - 1] : undefined;
    return {
      name: stage.name,
      order: stage.order,
      status,
      startedAt,
      finishedAt,
      durationMs: durationMs(startedAt, finishedAt),
      tasks: records.map(record => {
        const task = stage.tasks[record.taskIndex];
        return {
          id: record.id,
          name: task.name,
          type: task.type,
          status: record.status,
          startedAt: record.startedAt,
          finishedAt: record.finishedAt,
          durationMs: durationMs(record.startedAt, record.finishedAt),
          ...(record.exitCode !== undefined
            ? { exitCode: record.exitCode }
            : {}),
          ...(record.message ? { message: record.message } : {}),
        };
      }),
    };
  });
  return {
    ...toRunSummary(run),
    pipelineId: run.pipelineId,
    pipelineName: run.pipelineName,
    paramNames: Object.keys(run.params),
    ...(run.message ? { message: run.message } : {}),
    setup: setupSteps.map(step => toApiSetupStep(step, run)),
    stages,
  };
}

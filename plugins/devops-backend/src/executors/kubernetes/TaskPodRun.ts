import { setTimeout as delay } from 'node:timers/promises';
import type { CoreV1Api, Log, V1Pod } from '@kubernetes/client-node';
import { RunAbandoned, TaskContext, TaskResult } from '../types';
import {
  clusterProblemOf,
  ClusterProblem,
  describeError,
} from './clusterProblems';
import {
  LogPosition,
  followContainerLog,
  logMark,
  parseLogMark,
} from './followContainerLog';
import type { NamespacePodWatch } from './NamespacePodWatch';
import { PodEventLog } from './podEvents';
import { SOURCE_CONTAINER, TASK_CONTAINER } from './podSpec';
import { outputsFromTerminationMessage } from './terminationOutputs';
import { PodState, readPodFailure, readPodState } from './podState';

/** A watch failing this long means the cluster is gone, not a blip. */
const UNREACHABLE_AFTER_MS = 60_000;
/** Output still in flight when the pod ends gets this long to arrive. */
const LOG_DRAIN_MS = 10_000;

export type TaskPodRunOptions = {
  ctx: TaskContext;
  core: CoreV1Api;
  /** The watch of the namespace's pods and events, shared with the other tasks there. */
  pods: NamespacePodWatch;
  logApi: Log;
  cluster: string;
  namespace: string;
  pod: string;
  imagePullTimeoutMs: number;
  /** A problem of the cluster itself was seen: flag it (the task fails with its message). */
  onClusterProblem(problem: ClusterProblem): void;
};

type Outcome = {
  result: TaskResult;
  drainLogs: boolean;
  /** The last status of a pod that failed, whose node may explain why. */
  failedPod?: V1Pod;
};

/**
 * Follows one task pod to its end: its phase through the namespace's watch, its events
 * and its containers' logs into the task log. Reports waiting while no node can take it,
 * gives up on an image that cannot be pulled after a bounded wait, and deletes the pod
 * when the task is stopped.
 */
export class TaskPodRun {
  readonly #stop = new AbortController();
  readonly #events: PodEventLog;
  #settle!: (outcome: Outcome) => void;
  readonly #outcome = new Promise<Outcome>(resolve => {
    this.#settle = resolve;
  });
  #settled = false;
  #waiting = false;
  #pullDeadline?: NodeJS.Timeout;
  #logs?: Promise<void>;
  /** Containers the pod status says have ended. */
  readonly #ended = new Set<string>();
  /** Per container whose log is being followed: what to do once it has ended. */
  readonly #onEnded = new Map<string, () => void>();
  #watchFailureLogged = false;

  constructor(private readonly options: TaskPodRunOptions) {
    this.#events = new PodEventLog(options.ctx.log);
  }

  /**
   * Listens to the pod, then has `createPod` create it (so that none of its events is
   * missed), and follows it to its end. `createPod` answers a result when the pod could
   * not be created.
   */
  async follow(
    createPod: () => Promise<TaskResult | undefined>,
  ): Promise<TaskResult> {
    const { ctx, namespace, pod } = this.options;
    const unsubscribe = this.options.pods.subscribe(pod, {
      onPod: (type, object) =>
        type === 'DELETED' ? this.#deleted() : this.#onPod(object),
      onEvent: event => this.#events.add(event),
      onError: (what, error, failingForMs) =>
        this.#watchFailed(what, error, failingForMs),
    });
    try {
      const refused = await createPod();
      if (refused) return refused;
      const onAbort = () => this.#stopped();
      if (ctx.signal.aborted) onAbort();
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const outcome = await this.#outcome;
      // Read at once, while the logs drain: the node's conditions as the task failed.
      const failure =
        outcome.failedPod &&
        readPodFailure(outcome.failedPod, this.options.core);
      ctx.signal.removeEventListener('abort', onAbort);
      clearTimeout(this.#pullDeadline);
      if (this.#waiting) ctx.resumed();
      if (outcome.drainLogs && this.#logs) {
        await Promise.race([
          this.#logs,
          new Promise(r => setTimeout(r, LOG_DRAIN_MS).unref()),
        ]);
      }
      const result = failure
        ? {
            ...outcome.result,
            message: (await failure) ?? outcome.result.message,
          }
        : outcome.result;
      // Events of the last moments (Killing, the final ones) arrived meanwhile.
      this.#stop.abort();
      unsubscribe();
      if (result.status === 'failed' && result.message && !ctx.signal.aborted) {
        ctx.log.platform(
          'Warning',
          `Pod ${namespace}/${pod}: ${result.message}`,
        );
      }
      return result;
    } finally {
      this.#stop.abort();
      unsubscribe();
    }
  }

  #finish(
    result: TaskResult,
    settled: Omit<Outcome, 'result'> = { drainLogs: false },
  ) {
    if (this.#settled) return;
    this.#settled = true;
    this.#settle({ result, ...settled });
  }

  #onPod(pod: V1Pod) {
    if (this.#settled) return;
    for (const status of [
      ...(pod.status?.initContainerStatuses ?? []),
      ...(pod.status?.containerStatuses ?? []),
    ]) {
      if (status.state?.terminated && !this.#ended.has(status.name)) {
        this.#ended.add(status.name);
        this.#onEnded.get(status.name)?.();
      }
    }
    const state = readPodState(pod);
    this.#updateWaiting(state);
    this.#updatePullDeadline(state);
    switch (state.kind) {
      case 'cannotStart':
        this.#finish({ status: 'failed', message: state.message });
        return;
      case 'pending':
        if (state.sourceStarted) this.#followLogs();
        return;
      case 'running':
        this.#followLogs();
        return;
      case 'finished':
        this.#followLogs();
        this.#finish(this.#result(state), {
          drainLogs: true,
          failedPod: state.succeeded ? undefined : pod,
        });
        return;
      default:
    }
  }

  #updateWaiting(state: PodState) {
    const { ctx } = this.options;
    if (state.kind === 'unschedulable') {
      if (this.#waiting) return;
      this.#waiting = true;
      ctx.waiting(
        `no node of the cluster can take its pod (${state.reason}); scale out the cluster (more or larger nodes) or free resources. The run waits, and its timeout is paused`,
      );
    } else if (this.#waiting) {
      this.#waiting = false;
      ctx.resumed();
    }
  }

  #updatePullDeadline(state: PodState) {
    if (state.kind !== 'pullFailing') {
      clearTimeout(this.#pullDeadline);
      this.#pullDeadline = undefined;
      return;
    }
    this.#latestPullFailure = state;
    if (this.#pullDeadline) return;
    const { imagePullTimeoutMs } = this.options;
    this.#pullDeadline = setTimeout(() => {
      const failure = this.#latestPullFailure!;
      this.#finish({
        status: 'failed',
        message: `Cannot pull image ${failure.image} (${failure.reason}${
          failure.detail ? `: ${failure.detail}` : ''
        }) for ${Math.round(
          imagePullTimeoutMs / 1000,
        )} s; check the image name and tag, that the registry is reachable from the cluster, and that the cluster has credentials for it`,
      });
    }, imagePullTimeoutMs);
  }

  #latestPullFailure?: Extract<PodState, { kind: 'pullFailing' }>;

  #result(state: Extract<PodState, { kind: 'finished' }>): TaskResult {
    const outputs = outputsFromTerminationMessage(
      state.outputs,
      this.options.ctx.log,
    );
    return state.succeeded
      ? { status: 'succeeded', exitCode: state.exitCode, outputs }
      : {
          status: 'failed',
          exitCode: state.exitCode,
          message: state.failure,
          outputs,
        };
  }

  /**
   * Streams the source checkout's output, then the task's, once each. After a takeover,
   * from where the stored log stopped: the containers before the marked one are skipped.
   */
  #followLogs() {
    this.#logs ??= (async () => {
      const containers = [SOURCE_CONTAINER, TASK_CONTAINER];
      const resume = parseLogMark(this.options.ctx.resumeMark);
      const from = resume
        ? Math.max(0, containers.indexOf(resume.container))
        : 0;
      for (const container of containers.slice(from)) {
        await this.#followContainer(
          container,
          resume?.container === container ? resume.position : undefined,
        );
      }
    })();
  }

  /**
   * Aborted once the pod status says the container ended. A kubelet usually ends the
   * follow itself then, but not always (kwok never does): rather than wait for it, the
   * follow is cut and the rest read without following, which ends when the log does.
   */
  #logEnd(container: string): AbortSignal {
    const end = new AbortController();
    if (this.#ended.has(container)) end.abort();
    else this.#onEnded.set(container, () => end.abort());
    return end.signal;
  }

  async #followContainer(container: string, resumeAfter?: LogPosition) {
    const { ctx } = this.options;
    const ended = this.#logEnd(container);
    const signal = AbortSignal.any([this.#stop.signal, ended]);
    let after = resumeAfter;
    // A follow ends when the container does, or early when the connection drops: then
    // again from the last line, a bounded number of times.
    let drops = 0;
    while (drops < 5 && !signal.aborted) {
      try {
        after = await this.#readLog(container, { signal, after, follow: true });
      } catch (error) {
        if (describeError(error).includes('is waiting to start')) {
          await delay(500, undefined, { signal }).catch(() => {});
          continue;
        }
        ctx.log.platform(
          'Warning',
          `Could not read the log of container "${container}": ${describeError(
            error,
          )}`,
        );
        return;
      }
      if (signal.aborted) break;
      if (await this.#containerEnded(container)) return;
      drops += 1;
    }
    if (!ended.aborted || this.#stop.signal.aborted) return;
    // The follow was cut because the container ended: what it wrote since, without following.
    try {
      await this.#readLog(container, {
        signal: this.#stop.signal,
        after,
        follow: false,
      });
    } catch (error) {
      ctx.log.platform(
        'Warning',
        `Could not read the end of the log of container "${container}": ${describeError(
          error,
        )}`,
      );
    }
  }

  #readLog(
    container: string,
    read: { signal: AbortSignal; after?: LogPosition; follow: boolean },
  ): Promise<LogPosition | undefined> {
    const { ctx, logApi, namespace, pod } = this.options;
    return followContainerLog({
      logApi,
      namespace,
      pod,
      container,
      onOutput: (text, position) =>
        ctx.log.output(text, position && logMark({ container, position })),
      ...read,
    });
  }

  async #containerEnded(container: string): Promise<boolean> {
    const { core, namespace, pod } = this.options;
    try {
      const current = await core.readNamespacedPod({ name: pod, namespace });
      const statuses = [
        ...(current.status?.initContainerStatuses ?? []),
        ...(current.status?.containerStatuses ?? []),
      ];
      return Boolean(
        statuses.find(s => s.name === container)?.state?.terminated,
      );
    } catch {
      return true;
    }
  }

  #watchFailed(what: string, error: unknown, failingForMs: number) {
    const { ctx, cluster, namespace, pod } = this.options;
    const problem = clusterProblemOf(error, cluster, namespace);
    if (
      problem &&
      (problem.health !== 'unreachable' || failingForMs >= UNREACHABLE_AFTER_MS)
    ) {
      this.options.onClusterProblem(problem);
      this.#finish({ status: 'failed', message: problem.message });
      return;
    }
    if (!this.#watchFailureLogged) {
      this.#watchFailureLogged = true;
      ctx.log.platform(
        'Warning',
        `Lost the watch on the ${what} of pod ${namespace}/${pod} (${describeError(
          error,
        )}); retrying`,
      );
    }
  }

  #deleted() {
    if (this.options.ctx.signal.aborted) return;
    this.#finish({
      status: 'failed',
      message:
        'The pod was deleted by someone or something other than DevOps (a user, or the cluster evicting it); re-run the pipeline',
    });
  }

  /** Stop or timeout: the pod goes, and the engine decides the task's status. */
  #stopped() {
    const { core, namespace, pod, ctx } = this.options;
    this.#finish({ status: 'failed', message: 'Stopped' });
    // The engine let go of the run: the pod goes on, for the engine that takes it over.
    if (ctx.signal.reason instanceof RunAbandoned) return;
    core
      .deleteNamespacedPod({ name: pod, namespace, gracePeriodSeconds: 5 })
      .then(
        () =>
          ctx.log.platform(
            'Normal',
            `Deleted pod ${namespace}/${pod}, as the task was stopped`,
          ),
        error => {
          if (describeError(error).startsWith('404')) return;
          ctx.log.platform(
            'Warning',
            `Could not delete pod ${namespace}/${pod}: ${describeError(
              error,
            )}; delete it by hand`,
          );
        },
      );
  }
}

import { LoggerService } from '@backstage/backend-plugin-api';
import type { RunStatus } from '@devops-pipelines/plugin-devops-common';
import type { RunRecord } from '../../database/types';
import type { RunObserver } from '../../engine/RunDriver';
import type {
  AccountAccess,
  CodeHostClient,
  CommitState,
} from '../codeHosts/types';

const EVENT_TRIGGERS = ['push', 'merge', 'tag'];

const FINAL_STATES: Partial<Record<RunStatus, CommitState>> = {
  succeeded: 'success',
  failed: 'failure',
  timedOut: 'failure',
  stopped: 'error',
};

/**
 * Reports the state of runs started by code host events back to their commit (GitHub
 * commit statuses, GitLab's commit status API): pending when the run starts, then
 * success, failure or error, linking to the run page, under the pipeline's name. A code
 * host that is down neither fails nor delays a run: reports go out in the background, in
 * order per run, and a repository whose host refuses or cannot be reached is logged once until a report to
 * it succeeds again.
 */
export class CommitStatusReporter implements RunObserver {
  readonly #queues = new Map<string, Promise<void>>();
  readonly #failingRepositories = new Set<string>();

  constructor(
    private readonly deps: {
      clients: Record<'github' | 'gitlab', CodeHostClient>;
      /** The token of the connected account a pipeline's source names. */
      accountAccess(accountId: string): Promise<AccountAccess>;
      /** The run's page in the portal. */
      runUrl(runId: string): string;
      logger: LoggerService;
    },
  ) {}

  runStarted(run: RunRecord) {
    this.#report(run, 'pending', `Run #${run.buildId} is running`);
  }

  runFinished(run: RunRecord, status: RunStatus) {
    const state = FINAL_STATES[status];
    if (state)
      this.#report(run, state, `Run #${run.buildId} ${status}`, { last: true });
  }

  /** Resolves when every report queued so far was sent or given up. */
  async flush() {
    await Promise.all(this.#queues.values());
  }

  #report(
    run: RunRecord,
    state: CommitState,
    description: string,
    options: { last?: boolean } = {},
  ) {
    const source = run.spec.source;
    if (!EVENT_TRIGGERS.includes(run.trigger.type) || !run.commit) return;
    if (!source || source.provider === 'git') return;
    const client = this.deps.clients[source.provider];
    const send = async () => {
      try {
        await client.setCommitStatus(
          source.repository,
          run.commit!,
          {
            state,
            targetUrl: this.deps.runUrl(run.id),
            context: `devops/${run.pipelineName}`,
            description,
          },
          source.accountId
            ? await this.deps.accountAccess(source.accountId)
            : undefined,
        );
        this.#failingRepositories.delete(source.repository);
      } catch (error) {
        if (!this.#failingRepositories.has(source.repository)) {
          this.#failingRepositories.add(source.repository);
          this.deps.logger.warn(
            `Reporting run #${run.buildId} of ${run.pipelineName} to ${source.repository} failed; later failures for this repository are not logged until a report succeeds: ${error}`,
          );
        }
      }
    };
    const queued = (this.#queues.get(run.id) ?? Promise.resolve()).then(send);
    this.#queues.set(run.id, queued);
    if (options.last)
      queued.finally(
        () =>
          this.#queues.get(run.id) === queued && this.#queues.delete(run.id),
      );
  }
}

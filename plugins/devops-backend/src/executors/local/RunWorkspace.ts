import fs from 'fs/promises';
import path from 'path';
import { checkoutCommit } from '../../scm/git';
import type { SourceCredentialsLookup } from '../../scm/gitCredentials';
import { redactCredentials } from '../../scm/gitUrl';
import { RunSource, TaskLog } from '../types';

/** Ids become folder names, so they must not be able to climb out of the workspace. */
const SAFE_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export type TaskFiles = {
  scriptFile: string;
  /** Empty when the task starts; its `$DEVOPS_OUTPUT`. */
  outputFile: string;
};

/**
 * One run's folder on the backend's disk:
 *
 *   <root>/<runId>/source          the checkout, every script's working directory
 *   <root>/<runId>/source.commit   written once the checkout is complete
 *   <root>/<runId>/tasks/<taskRunId>.<attempt>/   the script and its output file
 *
 * Task files stay outside the checkout so scripts see the repository as committed.
 */
export class RunWorkspace {
  readonly dir: string;
  readonly sourceDir: string;
  private readonly checkoutMarker: string;

  constructor(root: string, runId: string) {
    this.dir = path.join(path.resolve(root), pathSegment(runId, 'run id'));
    this.sourceDir = path.join(this.dir, 'source');
    this.checkoutMarker = path.join(this.dir, 'source.commit');
  }

  /**
   * Checks the source out once; a second call (after a takeover) keeps a complete one
   * and does not ask for credentials.
   */
  async prepare(
    source: RunSource | undefined,
    access: {
      allowFileUrls: boolean;
      sourceCredentials?: SourceCredentialsLookup;
    },
    log: TaskLog,
  ): Promise<void> {
    if (!source) {
      await fs.mkdir(this.sourceDir, { recursive: true });
      log.platform(
        'Normal',
        'The pipeline has no source; tasks start in an empty folder',
      );
      return;
    }

    const short = source.commit.slice(0, 7);
    if ((await this.completedCheckout()) === source.commit) {
      log.platform(
        'Normal',
        `Re-using the checkout of ${short} already in the workspace`,
      );
      return;
    }
    // Whatever is there was interrupted mid-way (the marker is written last).
    await fs.rm(this.sourceDir, { recursive: true, force: true });
    log.platform(
      'Normal',
      `Checking out ${redactCredentials(source.repository)} at ${short} (${
        source.branch
      })`,
    );
    await checkoutCommit({
      repository: source.repository,
      commit: source.commit,
      dir: this.sourceDir,
      allowFileUrls: access.allowFileUrls,
      credentials: await access.sourceCredentials?.(source),
    });
    await fs.writeFile(this.checkoutMarker, source.commit);
  }

  async isPrepared(): Promise<boolean> {
    return fs.stat(this.sourceDir).then(
      stat => stat.isDirectory(),
      () => false,
    );
  }

  /** Fresh files for one attempt of a task, so no output of an earlier attempt leaks in. */
  async createTaskFiles(
    taskRunId: string,
    attempt: number,
    script: string,
  ): Promise<TaskFiles> {
    const dir = path.join(
      this.dir,
      'tasks',
      `${pathSegment(taskRunId, 'task run id')}.${attempt}`,
    );
    // A folder left by an engine that died mid-attempt is replaced; mkdir tells.
    const created = await fs.mkdir(dir, { recursive: true });
    if (created === undefined) {
      await fs.rm(dir, { recursive: true, force: true });
      await fs.mkdir(dir, { recursive: true });
    }
    const files = {
      scriptFile: path.join(dir, 'script.sh'),
      outputFile: path.join(dir, 'outputs'),
    };
    // `exec 2>&1` on the first line sends stderr into the one output pipe, in order,
    // without moving the script's line numbers (sh reports errors by line).
    await Promise.all([
      fs.writeFile(files.scriptFile, `exec 2>&1; ${script}`),
      fs.writeFile(files.outputFile, ''),
    ]);
    return files;
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }

  private async completedCheckout(): Promise<string | undefined> {
    return fs.readFile(this.checkoutMarker, 'utf8').then(
      commit => commit,
      () => undefined,
    );
  }
}

function pathSegment(id: string, what: string): string {
  if (!SAFE_SEGMENT.test(id)) {
    throw new Error(`The ${what} "${id}" cannot be used as a folder name`);
  }
  return id;
}

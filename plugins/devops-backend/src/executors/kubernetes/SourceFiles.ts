import fs from 'fs/promises';
import os from 'os';
import path from 'path';
import { checkoutCommit } from '../../scm/git';
import type { SourceCredentialsLookup } from '../../scm/gitCredentials';
import type { RunSource } from '../types';

/**
 * Files of the repository at the run's commit, for tasks the backend does itself (Deploy
 * YAML reads its manifest). The commit is checked out on first use into a temporary
 * folder, which `dispose` removes when the task ends.
 */
export class SourceFiles {
  #checkout?: Promise<string>;
  #dir?: string;

  constructor(
    private readonly source: RunSource | undefined,
    private readonly allowFileUrls: boolean,
    private readonly sourceCredentials?: SourceCredentialsLookup,
  ) {}

  async read(file: string): Promise<string> {
    if (!this.source) {
      throw new Error('the pipeline has no code source to read it from');
    }
    const root = await this.#root();
    const resolved = path.resolve(root, `.${path.sep}${file}`);
    if (!isInside(root, resolved)) {
      throw new Error(`"${file}" is outside the repository`);
    }
    // A symbolic link in the repository could point anywhere on the backend's disk.
    const real = await fs.realpath(resolved).catch(() => {
      throw new Error(
        `"${file}" does not exist at commit ${this.source!.commit.slice(0, 7)}`,
      );
    });
    if (!isInside(await fs.realpath(root), real)) {
      throw new Error(`"${file}" is a link to outside the repository`);
    }
    return fs.readFile(real, 'utf8');
  }

  async dispose(): Promise<void> {
    if (this.#dir) await fs.rm(this.#dir, { recursive: true, force: true });
  }

  #root(): Promise<string> {
    this.#checkout ??= (async () => {
      const source = this.source!;
      this.#dir = await fs.mkdtemp(path.join(os.tmpdir(), 'devops-source-'));
      const dir = path.join(this.#dir, 'source');
      await checkoutCommit({
        repository: source.repository,
        commit: source.commit,
        dir,
        allowFileUrls: this.allowFileUrls,
        credentials: await this.sourceCredentials?.(source),
      });
      return dir;
    })();
    return this.#checkout;
  }
}

function isInside(root: string, file: string): boolean {
  const relative = path.relative(root, file);
  return (
    relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative)
  );
}

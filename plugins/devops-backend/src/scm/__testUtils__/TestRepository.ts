import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import { pathToFileURL } from 'url';

/** Identity and settings for test commits, independent of the machine's git config. */
const GIT_CONFIG = [
  '-c',
  'user.name=DevOps Test',
  '-c',
  'user.email=devops-test@example.com',
  '-c',
  'commit.gpgsign=false',
];

/** A real git repository on disk, reached through a file:// URL like a remote one. */
export class TestRepository {
  readonly url: string;

  private constructor(readonly dir: string) {
    this.url = pathToFileURL(dir).href;
  }

  /** A repository whose `main` branch has one commit with a README. */
  static create(
    dir: string,
    options: { objectFormat?: 'sha1' | 'sha256' } = {},
  ): TestRepository {
    fs.mkdirSync(dir, { recursive: true });
    const repository = new TestRepository(dir);
    repository.git(
      'init',
      '--quiet',
      '--initial-branch=main',
      `--object-format=${options.objectFormat ?? 'sha1'}`,
    );
    repository.commit({ 'README.md': '# Test repository\n' }, 'Initial commit');
    return repository;
  }

  /** Writes the files, commits them on the current branch and returns the commit sha. */
  commit(files: Record<string, string>, message: string): string {
    for (const [name, content] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(this.dir, name)), {
        recursive: true,
      });
      fs.writeFileSync(path.join(this.dir, name), content);
    }
    this.git('add', '--all');
    this.git('commit', '--quiet', '--message', message);
    return this.git('rev-parse', 'HEAD');
  }

  /** Switches to `branch`, creating it from the current commit when missing. */
  switchTo(branch: string): void {
    const exists = this.git('branch', '--list', branch) !== '';
    this.git('switch', '--quiet', ...(exists ? [] : ['--create']), branch);
  }

  git(...args: string[]): string {
    return execFileSync('git', [...GIT_CONFIG, ...args], {
      cwd: this.dir,
      encoding: 'utf8',
    }).trim();
  }
}

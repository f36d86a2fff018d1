import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { SourceError } from '../executors/types';
import { TestRepository } from './__testUtils__/TestRepository';
import { checkoutCommit, resolveBranchHead } from './git';

describe('git', () => {
  let tmp: string;
  let repo: TestRepository;

  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-git-'));
    repo = TestRepository.create(path.join(tmp, 'origin'));
  });

  afterEach(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const headOf = (dir: string) =>
    execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
    }).trim();

  describe('resolveBranchHead', () => {
    it('returns the commit each branch points at', async () => {
      const mainHead = repo.git('rev-parse', 'HEAD');
      repo.switchTo('feature/login');
      const featureHead = repo.commit({ 'login.txt': 'form\n' }, 'Add login');

      await expect(
        resolveBranchHead({
          repository: repo.url,
          branch: 'main',
          allowFileUrls: true,
        }),
      ).resolves.toBe(mainHead);
      await expect(
        resolveBranchHead({
          repository: repo.url,
          branch: 'feature/login',
          allowFileUrls: true,
        }),
      ).resolves.toBe(featureHead);
    });

    it('matches the whole branch name, not a branch ending with it', async () => {
      repo.switchTo('release/main');
      repo.commit({ 'a.txt': 'a\n' }, 'On release/main');
      repo.git('branch', '--delete', '--force', 'main');

      await expect(
        resolveBranchHead({
          repository: repo.url,
          branch: 'main',
          allowFileUrls: true,
        }),
      ).rejects.toThrow(`Branch "main" does not exist in ${repo.url}`);
    });

    it('names the branch and the repository when the branch is missing', async () => {
      const error = await resolveBranchHead({
        repository: repo.url,
        branch: 'nope',
        allowFileUrls: true,
      }).catch(e => e);

      expect(error).toBeInstanceOf(SourceError);
      expect(error.message).toBe(
        `Branch "nope" does not exist in ${repo.url}; fix the pipeline's source`,
      );
    });

    it('refuses local repositories unless file URLs are allowed', async () => {
      for (const repository of [repo.url, repo.dir]) {
        const error = await resolveBranchHead({
          repository,
          branch: 'main',
          allowFileUrls: false,
        }).catch(e => e);
        expect(error).toBeInstanceOf(SourceError);
        expect(error.message).toContain('devops.executor.local.allowFileUrls');
      }
    });

    it('passes on what git said when the repository cannot be read', async () => {
      const missing = `file://${path.join(tmp, 'missing')}`;
      const error = await resolveBranchHead({
        repository: missing,
        branch: 'main',
        allowFileUrls: true,
      }).catch(e => e);

      expect(error).toBeInstanceOf(SourceError);
      expect(error.message).toMatch(
        new RegExp(
          `^Cannot read ${missing}: .*does not appear to be a git repository`,
        ),
      );
      expect(error.message).toContain('Check the repository URL');
    });

    it('keeps credentials in the URL out of its messages', async () => {
      // Nothing listens on port 1, so the connection is refused at once.
      const error = await resolveBranchHead({
        repository: 'https://deploy:t0ps3cret@127.0.0.1:1/team/app.git',
        branch: 'main',
        allowFileUrls: false,
      }).catch(e => e);

      expect(error).toBeInstanceOf(SourceError);
      expect(error.message).toContain('https://***@127.0.0.1:1/team/app.git');
      expect(error.message).not.toContain('t0ps3cret');
    });

    it('refuses remote helpers before running git', async () => {
      const marker = path.join(tmp, 'pwned');
      const error = await resolveBranchHead({
        repository: `ext::sh -c touch% ${marker}`,
        branch: 'main',
        allowFileUrls: true,
      }).catch(e => e);

      expect(error).toBeInstanceOf(SourceError);
      expect(fs.existsSync(marker)).toBe(false);
    });
  });

  describe('checkoutCommit', () => {
    it('checks out an older commit of a branch that has moved on', async () => {
      const first = repo.commit({ 'version.txt': '1\n' }, 'Version 1');
      const resolved = await resolveBranchHead({
        repository: repo.url,
        branch: 'main',
        allowFileUrls: true,
      });
      repo.commit({ 'version.txt': '2\n' }, 'Version 2');
      const dir = path.join(tmp, 'checkout');

      await checkoutCommit({
        repository: repo.url,
        commit: resolved,
        dir,
        allowFileUrls: true,
      });

      expect(resolved).toBe(first);
      expect(headOf(dir)).toBe(first);
      expect(fs.readFileSync(path.join(dir, 'version.txt'), 'utf8')).toBe(
        '1\n',
      );
      expect(fs.existsSync(path.join(dir, 'README.md'))).toBe(true);
    });

    it('does not store the repository URL in the checkout', async () => {
      const dir = path.join(tmp, 'checkout');
      await checkoutCommit({
        repository: repo.url,
        commit: repo.git('rev-parse', 'HEAD'),
        dir,
        allowFileUrls: true,
      });

      expect(
        fs.readFileSync(path.join(dir, '.git', 'config'), 'utf8'),
      ).not.toContain(repo.url);
    });

    describe('with a server that refuses fetching a commit by sha', () => {
      // Protocol v0 servers only serve commits that branch tips advertise, unless
      // uploadpack.allowReachableSHA1InWant is set: the case the fallback is for.
      const saved = { ...process.env };
      beforeEach(() => {
        process.env.GIT_CONFIG_COUNT = '1';
        process.env.GIT_CONFIG_KEY_0 = 'protocol.version';
        process.env.GIT_CONFIG_VALUE_0 = '0';
      });
      afterEach(() => {
        process.env = { ...saved };
      });

      it('fetches the branches and checks the commit out of them', async () => {
        const first = repo.commit({ 'version.txt': '1\n' }, 'Version 1');
        repo.commit({ 'version.txt': '2\n' }, 'Version 2');
        const dir = path.join(tmp, 'checkout');

        await checkoutCommit({
          repository: repo.url,
          commit: first,
          dir,
          allowFileUrls: true,
        });

        expect(headOf(dir)).toBe(first);
        expect(fs.readFileSync(path.join(dir, 'version.txt'), 'utf8')).toBe(
          '1\n',
        );
      });

      it('says so when no branch holds the commit any more', async () => {
        repo.switchTo('experiment');
        const lost = repo.commit({ 'x.txt': 'x\n' }, 'Experiment');
        repo.switchTo('main');
        repo.git('branch', '--delete', '--force', 'experiment');

        const error = await checkoutCommit({
          repository: repo.url,
          commit: lost,
          dir: path.join(tmp, 'checkout'),
          allowFileUrls: true,
        }).catch(e => e);

        expect(error).toBeInstanceOf(SourceError);
        expect(error.message).toContain(
          `Commit ${lost} is no longer on any branch`,
        );
      });
    });

    it('checks out commits of SHA-256 repositories', async () => {
      const sha256Repo = TestRepository.create(path.join(tmp, 'sha256'), {
        objectFormat: 'sha256',
      });
      const commit = sha256Repo.git('rev-parse', 'HEAD');
      const dir = path.join(tmp, 'checkout');

      await checkoutCommit({
        repository: sha256Repo.url,
        commit,
        dir,
        allowFileUrls: true,
      });

      expect(commit).toHaveLength(64);
      expect(headOf(dir)).toBe(commit);
    });

    it('refuses anything but a full commit sha', async () => {
      await expect(
        checkoutCommit({
          repository: repo.url,
          commit: '--upload-pack=touch',
          dir: path.join(tmp, 'checkout'),
          allowFileUrls: true,
        }),
      ).rejects.toThrow('"--upload-pack=touch" is not a full commit sha');
    });

    it('refuses a local repository unless file URLs are allowed', async () => {
      await expect(
        checkoutCommit({
          repository: repo.url,
          commit: repo.git('rev-parse', 'HEAD'),
          dir: path.join(tmp, 'checkout'),
          allowFileUrls: false,
        }),
      ).rejects.toThrow('devops.executor.local.allowFileUrls');
    });
  });
});

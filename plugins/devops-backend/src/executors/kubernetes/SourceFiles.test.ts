import fs from 'fs';
import os from 'os';
import path from 'path';
import { GitHttpServer } from '../../scm/__testUtils__/GitHttpServer';
import { TestRepository } from '../../scm/__testUtils__/TestRepository';
import { SourceFiles } from './SourceFiles';

describe('SourceFiles', () => {
  let dir: string;
  let repository: TestRepository;
  let commit: string;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'source-files-test-'));
    fs.writeFileSync(path.join(dir, 'outside.txt'), 'backend secret');
    repository = TestRepository.create(path.join(dir, 'repo'));
    fs.symlinkSync(
      path.join(dir, 'outside.txt'),
      path.join(dir, 'repo', 'link.txt'),
    );
    commit = repository.commit(
      { 'deploy/app.yaml': 'kind: ConfigMap\n' },
      'Add a manifest and a link',
    );
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const files = () =>
    new SourceFiles(
      { provider: 'git', repository: repository.url, branch: 'main', commit },
      true,
    );

  it("reads a file of the run's commit, and removes the checkout afterwards", async () => {
    const source = files();
    expect(await source.read('deploy/app.yaml')).toBe('kind: ConfigMap\n');
    expect(await source.read('/deploy/app.yaml')).toBe('kind: ConfigMap\n');
    await source.dispose();
  });

  it('refuses paths and links that leave the repository', async () => {
    const source = files();
    await expect(source.read('../outside.txt')).rejects.toThrow(
      '"../outside.txt" is outside the repository',
    );
    await expect(source.read('link.txt')).rejects.toThrow(
      '"link.txt" is a link to outside the repository',
    );
    await expect(source.read('missing.yaml')).rejects.toThrow(
      `"missing.yaml" does not exist at commit ${commit.slice(0, 7)}`,
    );
    await source.dispose();
  });

  it('checks a private repository out with the credentials for the source', async () => {
    const server = await GitHttpServer.start({
      root: dir,
      accepts: (username, password) =>
        username === 'deploy-bot' && password === 't0ken',
    });
    const source = {
      provider: 'git' as const,
      repository: server.url(repository.dir),
      branch: 'main',
      commit,
    };
    const sourceCredentials = jest.fn(async () => ({
      username: 'deploy-bot',
      password: 't0ken',
    }));
    const privateFiles = new SourceFiles(source, false, sourceCredentials);
    try {
      expect(await privateFiles.read('deploy/app.yaml')).toBe(
        'kind: ConfigMap\n',
      );
      expect(sourceCredentials).toHaveBeenCalledWith(source);
    } finally {
      await privateFiles.dispose();
      await server.close();
    }
  });

  it('says so when the pipeline has no source', async () => {
    await expect(
      new SourceFiles(undefined, false).read('a.yaml'),
    ).rejects.toThrow('the pipeline has no code source');
  });
});

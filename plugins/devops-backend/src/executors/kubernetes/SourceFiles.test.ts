import fs from 'fs';
import os from 'os';
import path from 'path';
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
    fs.symlinkSync(path.join(dir, 'outside.txt'), path.join(dir, 'repo', 'link.txt'));
    commit = repository.commit({ 'deploy/app.yaml': 'kind: ConfigMap\n' }, 'Add a manifest and a link');
  });

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const files = () =>
    new SourceFiles({ repository: repository.url, branch: 'main', commit }, true);

  it("reads a file of the run's commit, and removes the checkout afterwards", async () => {
    const source = files();
    expect(await source.read('deploy/app.yaml')).toBe('kind: ConfigMap\n');
    expect(await source.read('/deploy/app.yaml')).toBe('kind: ConfigMap\n');
    await source.dispose();
  });

  it('refuses paths and links that leave the repository', async () => {
    const source = files();
    await expect(source.read('../outside.txt')).rejects.toThrow('"../outside.txt" is outside the repository');
    await expect(source.read('link.txt')).rejects.toThrow('"link.txt" is a link to outside the repository');
    await expect(source.read('missing.yaml')).rejects.toThrow(`"missing.yaml" does not exist at commit ${commit.slice(0, 7)}`);
    await source.dispose();
  });

  it('says so when the pipeline has no source', async () => {
    await expect(new SourceFiles(undefined, false).read('a.yaml')).rejects.toThrow('the pipeline has no code source');
  });
});

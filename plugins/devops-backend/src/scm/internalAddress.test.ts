import { SourceError } from '../executors/types';
import { checkRepositoryHost, repositoryHost } from './internalAddress';

describe('repositoryHost', () => {
  it.each([
    ['https://github.com/acme/shop.git', 'github.com'],
    [
      'https://user:token@gitlab.example.com:8443/acme/shop.git',
      'gitlab.example.com',
    ],
    ['http://10.0.0.7/acme/shop.git', '10.0.0.7'],
    ['ssh://git@[fd00::1]:2222/acme/shop.git', '[fd00::1]'],
    ['git://169.254.169.254/latest', '169.254.169.254'],
    ['git@github.com:acme/shop.git', 'github.com'],
    ['localhost:acme/shop.git', 'localhost'],
    ['file:///srv/git/shop.git', undefined],
    ['/srv/git/shop.git', undefined],
  ])('%s names %s', (repository, host) => {
    expect(repositoryHost(repository)).toBe(host);
  });
});

describe('checkRepositoryHost', () => {
  it.each([
    'https://127.0.0.1/acme/shop.git',
    'http://169.254.169.254/latest/meta-data',
    'https://10.1.2.3/acme/shop.git',
    'ssh://git@[::1]/acme/shop.git',
    'git@192.168.1.5:acme/shop.git',
    'https://localhost/acme/shop.git',
  ])(
    'refuses %s, an internal address, naming the setting',
    async repository => {
      const refusal = await checkRepositoryHost(repository, []).catch(e => e);
      expect(refusal).toBeInstanceOf(SourceError);
      expect(refusal.message).toMatch(
        /is on an internal address \(.+\); a portal admin who wants pipelines to use it lists .+ under devops\.repositories\.allowedHosts$/,
      );
    },
  );

  it('lets through what the admin listed, public addresses, the disk and names git will report', async () => {
    await expect(
      checkRepositoryHost('https://10.1.2.3/acme/shop.git', ['10.1.2.3']),
    ).resolves.toBeUndefined();
    await expect(
      checkRepositoryHost('ssh://git@[::1]/acme/shop.git', ['::1']),
    ).resolves.toBeUndefined();
    await expect(
      checkRepositoryHost('https://140.82.112.3/acme/shop.git', []),
    ).resolves.toBeUndefined();
    await expect(
      checkRepositoryHost('file:///srv/git/shop.git', []),
    ).resolves.toBeUndefined();
    await expect(
      checkRepositoryHost('https://no-such-host.invalid/acme/shop.git', []),
    ).resolves.toBeUndefined();
  });

  it('never shows the credentials written into the URL', async () => {
    const refusal = await checkRepositoryHost(
      'https://deploy:s3cret@127.0.0.1/acme/shop.git',
      [],
    ).catch(e => e);
    expect(refusal.message).toContain('https://***@127.0.0.1/acme/shop.git');
    expect(refusal.message).not.toContain('s3cret');
  });
});

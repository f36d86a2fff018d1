import { InputError } from '@backstage/errors';
import { githubOwnerAndRepo, parseRepositoryPath } from './repositoryPath';

describe('parseRepositoryPath', () => {
  it.each([
    ['https://github.com/acme/app', 'github.com', 'acme/app'],
    ['https://github.com/acme/app.git', 'github.com', 'acme/app'],
    ['https://github.com/acme/app/', 'github.com', 'acme/app'],
    ['https://GitHub.com/acme/app', 'github.com', 'acme/app'],
    [
      'https://oauth2:glpat-123@gitlab.com/acme/app.git',
      'gitlab.com',
      'acme/app',
    ],
    [
      'https://ghe.example.com:8443/acme/app',
      'ghe.example.com:8443',
      'acme/app',
    ],
    ['git@github.com:acme/app.git', 'github.com', 'acme/app'],
    ['github.com:acme/app', 'github.com', 'acme/app'],
    [
      'ssh://git@gitlab.example.com:2222/group/sub/project.git',
      'gitlab.example.com',
      'group/sub/project',
    ],
    ['git://git.example.com/acme/app.git', 'git.example.com', 'acme/app'],
    [
      'git@gitlab.example.com:group/sub/project.git',
      'gitlab.example.com',
      'group/sub/project',
    ],
  ])('reads %s', (url, host, path) => {
    expect(parseRepositoryPath(url)).toEqual({ host, path });
  });

  it.each([
    'https://github.com/acme',
    'https://github.com/',
    'file:///srv/git/app.git',
    '/srv/git/app.git',
    'ssh://[::1',
    '',
  ])('refuses %j, which names no repository on a host', url => {
    expect(() => parseRepositoryPath(url)).toThrow(InputError);
    expect(() => parseRepositoryPath(url)).toThrow(
      'does not name a repository on a code host',
    );
  });

  it('does not repeat credentials written into the URL', () => {
    expect(() =>
      parseRepositoryPath('https://oauth2:glpat-secret@gitlab.com/'),
    ).toThrow('"https://***@gitlab.com/"');
  });
});

describe('githubOwnerAndRepo', () => {
  it('splits owner and repository', () => {
    expect(
      githubOwnerAndRepo({ host: 'github.com', path: 'acme/app' }),
    ).toEqual({ owner: 'acme', repo: 'app' });
  });

  it('refuses nested paths, which GitHub does not have', () => {
    expect(() =>
      githubOwnerAndRepo({ host: 'github.com', path: 'acme/app/tree/main' }),
    ).toThrow(
      '"acme/app/tree/main" is not a GitHub repository path on github.com',
    );
  });
});

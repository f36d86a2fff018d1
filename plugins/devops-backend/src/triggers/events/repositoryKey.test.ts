import { repositoryKey } from './repositoryKey';

describe('repositoryKey', () => {
  it.each([
    'https://github.com/Octo/App',
    'https://github.com/octo/app.git',
    'http://github.com/octo/app/',
    'https://github.com/octo/app.git/',
    'https://github.com:443/octo/app',
    'git@github.com:octo/app.git',
    'github.com:octo/app',
    'ssh://git@github.com/octo/app.git',
    'ssh://git@github.com:22/octo/app',
    'https://user:token@github.com/octo/app.git',
    'git://github.com/octo/app.git',
    '  https://GitHub.com/octo/app  ',
  ])('reads %j as github.com/octo/app', url => {
    expect(repositoryKey(url)).toBe('github.com/octo/app');
  });

  it.each([
    [
      'https://gitlab.example.com/Group/Sub/Project.git',
      'gitlab.example.com/group/sub/project',
    ],
    [
      'git@gitlab.example.com:group/sub/project.git',
      'gitlab.example.com/group/sub/project',
    ],
    [
      'https://gitlab.example.com:8443/group/project',
      'gitlab.example.com:8443/group/project',
    ],
    [
      'ssh://git@gitlab.example.com:2222/group/project.git',
      'gitlab.example.com/group/project',
    ],
    ['http://example.com:8080/mike/diaspora', 'example.com:8080/mike/diaspora'],
  ])('reads %j as %j', (url, key) => {
    expect(repositoryKey(url)).toBe(key);
  });

  it('tells repositories apart by host, port and path', () => {
    const keys = [
      'https://github.com/octo/app',
      'https://github.com/octo/app2',
      'https://github.com/octo/app/sub',
      'https://gitlab.com/octo/app',
      'https://github.com:8443/octo/app',
    ].map(repositoryKey);

    expect(new Set(keys).size).toBe(keys.length);
  });

  it.each([
    '',
    '   ',
    'file:///srv/git/octo/app.git',
    'ftp://github.com/octo/app',
    'https://github.com',
    'https://github.com/',
    'https://github.com/octo',
    'https://github.com/octo.git',
    'git@github.com:app.git',
    'ssh:///octo/app',
    '/srv/git/octo/app.git',
    'octo/app',
    'not a url',
  ])('gives no key for %j', url => {
    expect(repositoryKey(url)).toBeUndefined();
  });
});

import { SourceError } from '../executors/types';
import { checkRepositoryUrl, redactCredentials } from './gitUrl';

describe('checkRepositoryUrl', () => {
  it.each([
    'https://github.com/acme/app.git',
    'http://git.internal:8080/acme/app',
    'ssh://git@gitlab.example.com:2222/acme/app.git',
    'git://git.example.com/app.git',
    'git@github.com:acme/app.git',
    'gitlab.example.com:acme/app.git',
    'git@[::1]:acme/app.git',
  ])('accepts %s', url => {
    expect(() => checkRepositoryUrl(url, false)).not.toThrow();
  });

  it.each(['file:///srv/git/app.git', '/srv/git/app.git'])(
    'accepts the local repository %s only when file URLs are allowed',
    url => {
      expect(() => checkRepositoryUrl(url, true)).not.toThrow();
      expect(() => checkRepositoryUrl(url, false)).toThrow(
        'local repositories are refused unless devops.executor.local.allowFileUrls is true',
      );
    },
  );

  it.each([
    ['ext::sh -c touch% /tmp/x', 'remote helper'],
    ['fd::3', 'remote helper'],
    ['--upload-pack=touch /tmp/x', 'starts with "-"'],
    ['-oProxyCommand=x:y', 'starts with "-"'],
    ['ftp://example.com/app.git', 'unsupported scheme "ftp"'],
    ['HTTPS://example.com/app.git', 'unsupported scheme "HTTPS"'],
    ['https:///app.git', 'no usable host name'],
    ['ssh://-oProxyCommand=x/app.git', 'no usable host name'],
    ['relative/path/app.git', 'not a URL git can fetch from'],
    ['git@-oProxyCommand:x', 'not a URL git can fetch from'],
    ['', 'empty'],
    ['https://example.com/app.git\n--upload-pack=x', 'control characters'],
  ])('refuses %j (%s)', (url, reason) => {
    let error: unknown;
    try {
      checkRepositoryUrl(url, true);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SourceError);
    expect((error as Error).message).toContain(reason);
  });
});

describe('redactCredentials', () => {
  it('hides user info of http(s) URLs anywhere in a text', () => {
    expect(
      redactCredentials(
        "fatal: unable to access 'https://oauth2:glpat-123@gitlab.example.com/a.git/': refused; see http://tok@h/x",
      ),
    ).toBe(
      "fatal: unable to access 'https://***@gitlab.example.com/a.git/': refused; see http://***@h/x",
    );
  });

  it('leaves ssh user names alone, as they are not secrets', () => {
    expect(
      redactCredentials('ssh://git@example.com/a.git git@example.com:a.git'),
    ).toBe('ssh://git@example.com/a.git git@example.com:a.git');
  });
});

import { execFileSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { SourceError } from '../executors/types';
import { GitHttpServer } from './__testUtils__/GitHttpServer';
import { TestRepository } from './__testUtils__/TestRepository';
import { checkoutCommit, resolveBranchHead } from './git';
import {
  credentialHelperSetup,
  isAuthenticationFailure,
} from './gitCredentials';

const USERNAME = 'deploy-bot';
const PASSWORD = 'pr1vate-t0ken\\n$HOME';

describe('private repositories over http', () => {
  let tmp: string;
  let repo: TestRepository;
  let server: GitHttpServer;
  let url: string;
  const savedEnv = { ...process.env };

  beforeEach(async () => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-private-'));
    // The machine's git config must not answer for the tests (a credential store of a
    // developer's, say); the test of helpers puts one into this file.
    fs.writeFileSync(path.join(tmp, 'gitconfig'), '');
    process.env.GIT_CONFIG_GLOBAL = path.join(tmp, 'gitconfig');
    process.env.GIT_CONFIG_NOSYSTEM = '1';
    repo = TestRepository.create(path.join(tmp, 'hosted', 'team', 'app'));
    server = await GitHttpServer.start({
      root: path.join(tmp, 'hosted'),
      accepts: (username, password) =>
        username === USERNAME && password === PASSWORD,
    });
    url = server.url(repo.dir);
  });

  afterEach(async () => {
    process.env = { ...savedEnv };
    await server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const credentials = { username: USERNAME, password: PASSWORD };
  const checkoutDir = () => path.join(tmp, 'checkout');
  const checkout = (options: Partial<Parameters<typeof checkoutCommit>[0]>) =>
    checkoutCommit({
      repository: url,
      commit: repo.git('rev-parse', 'HEAD'),
      dir: checkoutDir(),
      allowFileUrls: false,
      ...options,
    });

  /** Every file under `dir` whose content holds `text`. */
  const filesContaining = (dir: string, text: string): string[] =>
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map(name => path.join(dir, name))
      .filter(file => fs.statSync(file).isFile())
      .filter(file => fs.readFileSync(file, 'latin1').includes(text));

  it('resolves a branch and checks a commit out with the credentials', async () => {
    const head = repo.commit({ 'app.txt': 'private\n' }, 'Private code');

    await expect(
      resolveBranchHead({
        repository: url,
        branch: 'main',
        allowFileUrls: false,
        credentials,
      }),
    ).resolves.toBe(head);
    await checkout({ commit: head, credentials });

    expect(fs.readFileSync(path.join(checkoutDir(), 'app.txt'), 'utf8')).toBe(
      'private\n',
    );
    // Git asks for credentials only once the server refuses a request without them.
    expect(server.requests[0]).toMatchObject({ status: 401 });
    expect(
      server.requests.filter(r => r.status === 200).length,
    ).toBeGreaterThan(1);
    expect(
      server.requests.every(r => r.status === 401 || r.username === USERNAME),
    ).toBe(true);
  });

  it('leaves neither the password nor the credential helper in the workspace', async () => {
    await checkout({ credentials });

    const config = fs.readFileSync(
      path.join(checkoutDir(), '.git', 'config'),
      'utf8',
    );
    expect(config).not.toContain('credential');
    expect(config).not.toContain(url);
    expect(filesContaining(checkoutDir(), PASSWORD)).toEqual([]);
  });

  it('keeps the password out of the arguments and traces of git and what it runs', async () => {
    // A `git` first on PATH that writes down its arguments, then runs the real one; and
    // git's own traces of the commands it starts (git-remote-http, the helper) and of
    // its HTTP requests, asked to show credentials.
    const realGit = execFileSync('sh', ['-c', 'command -v git'], {
      encoding: 'utf8',
    }).trim();
    const bin = path.join(tmp, 'bin');
    const argvLog = path.join(tmp, 'argv.log');
    const traceLog = path.join(tmp, 'trace.log');
    fs.mkdirSync(bin);
    fs.writeFileSync(
      path.join(bin, 'git'),
      `#!/bin/sh\nprintf '%s\\n' "$@" >> '${argvLog}'\nexec '${realGit}' "$@"\n`,
      { mode: 0o755 },
    );
    process.env.PATH = `${bin}${path.delimiter}${process.env.PATH}`;
    process.env.GIT_TRACE = traceLog;
    process.env.GIT_TRACE_CURL = traceLog;
    process.env.GIT_TRACE_REDACT = '0';

    await checkout({ credentials });

    const argv = fs.readFileSync(argvLog, 'utf8');
    const trace = fs.readFileSync(traceLog, 'utf8');
    expect(argv).toContain('credential.helper=!f()');
    expect(trace).toContain('git-remote-http');
    expect(trace).toContain('Authorization: Basic <redacted>');
    for (const secret of [
      PASSWORD,
      Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64'),
    ]) {
      expect(argv).not.toContain(secret);
      expect(trace).not.toContain(secret);
    }
  });

  it('does not ask the credential helpers of the machine', async () => {
    const asked = path.join(tmp, 'machine-helper-asked');
    fs.writeFileSync(
      process.env.GIT_CONFIG_GLOBAL!,
      `[credential]\n\thelper = "!f() { touch '${asked}'; echo password=wrong; }; f"\n`,
    );

    await checkout({ credentials });

    expect(fs.existsSync(asked)).toBe(false);
  });

  it('says that the server wants credentials when there are none', async () => {
    const error = await resolveBranchHead({
      repository: url,
      branch: 'main',
      allowFileUrls: false,
    }).catch(e => e);

    expect(error).toBeInstanceOf(SourceError);
    expect(error.message).toMatch(
      new RegExp(
        `^Cannot read ${url}: the server asks for credentials and none were given \\(.*could not read Username.*\\)\\. Check the repository URL`,
      ),
    );
  });

  it('gives the advice for refused credentials, without the password', async () => {
    const wrong = { username: USERNAME, password: 'expired-t0ken' };
    const authenticationAdvice =
      'reconnect your GitHub account on the Repositories page';

    const errors = [
      await resolveBranchHead({
        repository: url,
        branch: 'main',
        allowFileUrls: false,
        credentials: wrong,
        authenticationAdvice,
      }).catch(e => e),
      await checkout({ credentials: wrong, authenticationAdvice }).catch(
        e => e,
      ),
    ];

    expect(errors.map(e => e.message)).toEqual([
      expect.stringMatching(
        /^Cannot read .*: the server refused the credentials \(.*Authentication failed.*\)\. Reconnect your GitHub account on the Repositories page$/,
      ),
      expect.stringMatching(
        /^Cannot fetch commit [0-9a-f]{7} from .*: the server refused the credentials \(.*\)\. Reconnect your GitHub account/,
      ),
    ]);
    for (const error of errors) {
      expect(error).toBeInstanceOf(SourceError);
      expect(error.message).not.toContain('expired-t0ken');
    }
    // The checkout gives up at the first refusal instead of fetching all branches.
    expect(server.requests.filter(r => r.username).length).toBe(2);
  });

  it('refuses credentials that would break git’s line-based credential protocol', () => {
    expect(() =>
      credentialHelperSetup({ password: 'token\nusername=admin' }),
    ).toThrow(SourceError);
  });

  it.each([
    ["fatal: Authentication failed for 'https://github.com/a/b.git/'", true],
    [
      "fatal: could not read Username for 'https://gitlab.com': terminal prompts disabled",
      true,
    ],
    [
      "fatal: unable to access 'https://h/a.git/': The requested URL returned error: 403",
      true,
    ],
    ["fatal: repository 'https://h/a.git/' not found", false],
    ['fatal: unable to access: Could not resolve host: h', false],
  ])('tells authentication failures apart: %s', (stderr, expected) => {
    expect(isAuthenticationFailure(stderr)).toBe(expected);
  });
});

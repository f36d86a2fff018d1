import fs from 'fs/promises';
import { SourceError } from '../executors/types';
import { type GitCredentials, isAuthenticationFailure } from './gitCredentials';
import { checkRepositoryUrl, redactCredentials } from './gitUrl';
import { GitResult, firstLines, runGit } from './runGit';

/** Listing a branch is one round trip; a server that takes this long is not answering. */
const RESOLVE_TIMEOUT_MS = 60_000;
/** A full clone of a large repository (the fallback path) can take a while. */
const CHECKOUT_TIMEOUT_MS = 30 * 60_000;

const FULL_SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** How git authenticates to a private repository, and what to say when that fails. */
export type RepositoryAccess = {
  /** For a private http(s) repository; git gets them through a credential helper. */
  credentials?: GitCredentials;
  /**
   * Replaces the generic advice when the server asks for credentials or refuses them,
   * e.g. "Reconnect your GitHub account on the Repositories page". Default: the
   * credentials' `refusedAdvice`, when there are credentials.
   */
  authenticationAdvice?: string;
};

export type ResolveBranchHeadOptions = RepositoryAccess & {
  repository: string;
  branch: string;
  allowFileUrls: boolean;
};

export type CheckoutCommitOptions = RepositoryAccess & {
  repository: string;
  /** A full sha (40 hex digits, or 64 for a SHA-256 repository). */
  commit: string;
  /** Created when missing; must not already hold a repository. */
  dir: string;
  allowFileUrls: boolean;
};

/** The commit a branch points at now, as the server reports it (`git ls-remote`). */
export async function resolveBranchHead(
  options: ResolveBranchHeadOptions,
): Promise<string> {
  const { repository, branch, allowFileUrls, credentials } = options;
  checkRepositoryUrl(repository, allowFileUrls);
  const shown = redactCredentials(repository);
  const ref = `refs/heads/${branch}`;

  const result = await runGit(['ls-remote', '--heads', '--', repository, ref], {
    allowFileUrls,
    timeoutMs: RESOLVE_TIMEOUT_MS,
    credentials,
  });
  if (result.code !== 0) {
    throw gitFailure(`Cannot read ${shown}`, result, options);
  }

  // ls-remote matches patterns against the end of ref names (and as globs), so only an
  // exact name counts: "main" must not pick up "refs/heads/feature/main".
  for (const line of result.stdout.split('\n')) {
    const [sha, name] = line.split('\t');
    if (name === ref && FULL_SHA.test(sha)) return sha;
  }
  throw new SourceError(
    `Branch "${branch}" does not exist in ${shown}; fix the pipeline's source`,
  );
}

/**
 * Puts exactly `commit` of `repository` into `dir`, detached. Fetches only that commit
 * (depth 1) when the server allows fetching by sha, as most do; otherwise fetches all
 * branches and checks the commit out of them.
 */
export async function checkoutCommit(
  options: CheckoutCommitOptions,
): Promise<void> {
  const { repository, commit, dir, allowFileUrls, credentials } = options;
  checkRepositoryUrl(repository, allowFileUrls);
  if (!FULL_SHA.test(commit)) {
    throw new SourceError(`"${commit}" is not a full commit sha`);
  }
  const shown = redactCredentials(repository);
  // Every step gets the credentials, not only fetch: checkout may run filters (git-lfs)
  // that download from the same server.
  const git = (args: string[]) =>
    runGit(args, {
      cwd: dir,
      allowFileUrls,
      timeoutMs: CHECKOUT_TIMEOUT_MS,
      credentials,
    });

  await fs.mkdir(dir, { recursive: true });
  const objectFormat = commit.length === 64 ? 'sha256' : 'sha1';
  await expectSuccess(
    git(['init', '--quiet', `--object-format=${objectFormat}`]),
    `Cannot create a repository in the run's workspace ${dir}`,
    options,
    'Check that the backend may write to its workspace folder',
  );

  // The URL is given to fetch directly rather than saved as a remote, so credentials in
  // it are not written into the workspace the scripts read.
  const shallow = await git([
    'fetch',
    '--quiet',
    '--no-tags',
    '--depth=1',
    '--',
    repository,
    commit,
  ]);
  if (shallow.code !== 0) {
    // Fetching all branches would not fare better, and hosts lock out clients that
    // keep sending refused credentials.
    if (shallow.timedOut || isAuthenticationFailure(shallow.stderr)) {
      throw gitFailure(
        `Cannot fetch commit ${commit.slice(0, 7)} from ${shown}`,
        shallow,
        options,
      );
    }
    await expectSuccess(
      git([
        'fetch',
        '--quiet',
        '--no-tags',
        '--',
        repository,
        '+refs/heads/*:refs/remotes/origin/*',
      ]),
      `Cannot fetch ${shown}`,
      options,
    );
    const present = await git(['cat-file', '-e', `${commit}^{commit}`]);
    if (present.code !== 0) {
      throw new SourceError(
        `Commit ${commit} is no longer on any branch of ${shown} (was a branch force-pushed?); run the pipeline again to build the branch's current head`,
      );
    }
  }

  await expectSuccess(
    git([
      '-c',
      'advice.detachedHead=false',
      'checkout',
      '--quiet',
      '--detach',
      commit,
      '--',
    ]),
    `Cannot check out commit ${commit.slice(0, 7)} of ${shown}`,
    options,
    'Check the free space and permissions of the workspace folder',
  );
}

const NETWORK_ADVICE =
  'Check the repository URL, that the backend can reach the git server, and that its credentials may read the repository';

async function expectSuccess(
  run: Promise<GitResult>,
  what: string,
  access: RepositoryAccess,
  advice = NETWORK_ADVICE,
) {
  const result = await run;
  if (result.code !== 0) throw gitFailure(what, result, access, advice);
}

/**
 * `what` failed: git's own words (its first lines, which name the cause), then what to
 * do. An authentication failure says so in plain words first, since git's ("could not
 * read Username ... terminal prompts disabled") reads like a problem of the backend.
 */
function gitFailure(
  what: string,
  result: GitResult,
  access: RepositoryAccess,
  advice = NETWORK_ADVICE,
): SourceError {
  if (result.timedOut) {
    return new SourceError(`${what}: git did not finish in time. ${advice}`);
  }
  const said =
    redactCredentials(firstLines(result.stderr)) ||
    `git exited with code ${result.code}`;
  if (!isAuthenticationFailure(result.stderr)) {
    return new SourceError(`${what}: ${said}. ${advice}`);
  }
  const reason = access.credentials
    ? 'the server refused the credentials'
    : 'the server asks for credentials and none were given';
  return new SourceError(
    `${what}: ${reason} (${said}). ${sentence(
      access.authenticationAdvice ??
        access.credentials?.refusedAdvice ??
        advice,
    )}`,
  );
}

/** Advice follows a full stop, and callers may write it as a clause ("reconnect ..."). */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

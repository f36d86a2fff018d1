import { SourceError, type RunSource } from '../executors/types';

/** Credentials for fetching a private repository over http(s); SCM accounts provide them. */
export type GitCredentials = {
  /** Hosts that take a token as the password accept any user name; default "git". */
  username?: string;
  /** The password or access token. */
  password: string;
  /**
   * What to tell the user when the host refuses these credentials, such as "Reconnect
   * your GitHub account on the Repositories page": the error messages of scm/git.ts give
   * it instead of generic advice. Lets a `sourceCredentials` lookup of an executor, which
   * knows where the credentials come from, tell the user how to renew them.
   */
  refusedAdvice?: string;
};

/** An executor's way to the credentials of a run's repository; undefined for public ones. */
export type SourceCredentialsLookup = (
  source: RunSource,
) => Promise<GitCredentials | undefined>;

/**
 * Child-process variables the credential helper reads. Only the git process and what it
 * starts (git-remote-https, the helper) see them; `ps` shows arguments, not these.
 */
const USERNAME_VARIABLE = 'DEVOPS_GIT_USERNAME';
const PASSWORD_VARIABLE = 'DEVOPS_GIT_PASSWORD';

/**
 * Answers git's `get` requests from the two variables and ignores `store` and `erase`.
 * printf, not echo: dash's echo would expand backslashes in a password.
 */
const HELPER = `!f() { test "$1" = get || return 0; printf 'username=%s\\npassword=%s\\n' "$${USERNAME_VARIABLE}" "$${PASSWORD_VARIABLE}"; }; f`;

/** What runGit adds to a git command so that git authenticates with `credentials`. */
export type CredentialHelperSetup = {
  /** Global options, to go before the git subcommand. */
  args: string[];
  env: Record<string, string>;
};

/**
 * Hands `credentials` to git through a credential helper given with `-c`, so the secret
 * is in neither argv (the helper names variables, not values) nor any config file (a
 * `-c` setting lasts one command and is never written to the workspace's .git/config).
 * Git asks helpers only when an http(s) server wants authentication, so this is
 * harmless for other transports.
 */
export function credentialHelperSetup(
  credentials: GitCredentials | undefined,
): CredentialHelperSetup {
  if (!credentials) return { args: [], env: {} };
  const username = credentials.username || 'git';
  // Git's credential protocol is one `key=value` per line: a line break would end the
  // value and could add keys of its own.
  if (/[\r\n\0]/.test(username + credentials.password)) {
    throw new SourceError(
      "The credentials for the pipeline's repository contain a line break, which git cannot use; replace them with a valid token",
    );
  }
  return {
    // The empty value first clears the helpers of the machine's git config, which would
    // otherwise be asked first and could answer with other credentials, or store these.
    args: ['-c', 'credential.helper=', '-c', `credential.helper=${HELPER}`],
    env: {
      [USERNAME_VARIABLE]: username,
      [PASSWORD_VARIABLE]: credentials.password,
    },
  };
}

/**
 * Whether git failed because the server wants credentials or refused them: no helper
 * answered ("could not read Username"), they were refused ("Authentication failed"), or
 * the server said 401 or 403 outright.
 */
export function isAuthenticationFailure(stderr: string): boolean {
  return /Authentication failed|could not read (?:Username|Password)|returned error: 40[13]\b/i.test(
    stderr,
  );
}

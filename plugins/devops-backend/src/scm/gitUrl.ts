import { SourceError } from '../executors/types';

/** The config key that lets pipelines use repositories on the backend's own disk. */
export const ALLOW_FILE_URLS_KEY = 'devops.executor.local.allowFileUrls';

/** Network transports a pipeline source may use; anything else git knows is refused. */
const NETWORK_SCHEMES = ['https', 'http', 'ssh', 'git'];

/** `scheme://...`; captures the scheme. */
const SCHEME_URL = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
/** `helper::address` makes git run a remote helper (`ext::` runs any command). */
const REMOTE_HELPER = /^[A-Za-z][A-Za-z0-9+.-]*::/;
/** scp-like `[user@]host:path`; neither user nor host may look like an option. */
const SCP_LIKE =
  /^(?:[A-Za-z0-9_][A-Za-z0-9._~+-]*@)?(?:[A-Za-z0-9][A-Za-z0-9.-]*|\[[0-9A-Fa-f:.]+\]):[^:]/;

/**
 * Transports git may use, for `GIT_ALLOW_PROTOCOL`: a second guard behind
 * {@link checkRepositoryUrl} that also covers redirects, submodules and `insteadOf`
 * rewrites. Git gives this list precedence over every `protocol.*.allow` setting.
 */
export function allowedGitProtocols(allowFileUrls: boolean): string {
  return [...NETWORK_SCHEMES, ...(allowFileUrls ? ['file'] : [])].join(':');
}

/**
 * Refuses repository strings that would make git do something other than fetch over a
 * network transport: remote helpers (`ext::`), option-like arguments, unknown schemes,
 * and local repositories unless `allowFileUrls`.
 */
export function checkRepositoryUrl(repository: string, allowFileUrls: boolean) {
  const shown = redactCredentials(repository);
  if (!repository.trim() || hasControlCharacter(repository)) {
    // Not quoted: a line break in it could pass for a line of the log.
    throw new SourceError(
      "The pipeline's repository is empty or contains control characters; fix the pipeline's source",
    );
  }
  if (repository.startsWith('-')) {
    throw new SourceError(
      `The pipeline's repository "${shown}" starts with "-"; fix the pipeline's source`,
    );
  }
  if (REMOTE_HELPER.test(repository)) {
    throw new SourceError(
      `The pipeline's repository "${shown}" uses a git remote helper ("::"), which DevOps does not allow; use an https://, ssh:// or git@host:path URL`,
    );
  }

  const scheme = SCHEME_URL.exec(repository)?.[1];
  if (scheme === 'file' || (!scheme && repository.startsWith('/'))) {
    if (!allowFileUrls) {
      throw new SourceError(
        `The pipeline's repository "${shown}" is on the backend's own disk; local repositories are refused unless ${ALLOW_FILE_URLS_KEY} is true`,
      );
    }
    return;
  }
  if (scheme) {
    if (!NETWORK_SCHEMES.includes(scheme)) {
      throw new SourceError(
        `The pipeline's repository "${shown}" uses the unsupported scheme "${scheme}"; use https://, http://, ssh:// or git://`,
      );
    }
    if (!hasHost(repository, scheme)) {
      throw new SourceError(
        `The pipeline's repository "${shown}" has no usable host name; fix the pipeline's source`,
      );
    }
    return;
  }
  if (!SCP_LIKE.test(repository)) {
    throw new SourceError(
      `The pipeline's repository "${shown}" is not a URL git can fetch from; use https://host/path.git, ssh://host/path.git or git@host:path.git`,
    );
  }
}

function hasControlCharacter(text: string): boolean {
  return [...text].some(char => char < ' ' || char === '\x7f');
}

/** The host between `://` (and any `user@`) and the port or path; ssh must not see an option. */
function hasHost(url: string, scheme: string): boolean {
  const authority = url.slice(scheme.length + 3).split('/')[0];
  const host = authority.slice(authority.lastIndexOf('@') + 1);
  return /^(?:[A-Za-z0-9]|\[)/.test(host);
}

/**
 * Hides credentials written into http(s) URLs (`https://user:token@host/...`, or a bare
 * token as the user name), so error messages and logs never show them.
 */
export function redactCredentials(text: string): string {
  return text.replace(/\b(https?:\/\/)[^\s/@]+@/gi, '$1***@');
}

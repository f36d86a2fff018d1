import { InputError } from '@backstage/errors';
import { redactCredentials } from '../../scm/gitUrl';

/** Where a repository lives: the host's name and the repository's path on it. */
export type RepositoryPath = {
  /** As `integrations:` entries name hosts: with the port for http(s), without it for ssh. */
  host: string;
  /** `owner/repo` on GitHub, `group/sub/project` on GitLab; no `.git`, no slashes around. */
  path: string;
};

/** `[user@]host:path`, as git accepts it for ssh. */
const SCP_LIKE = /^(?:[^@/:\s]+@)?([A-Za-z0-9][A-Za-z0-9.-]*):(?!\/\/)(.+)$/;

/**
 * Reads the host and path of a repository URL: `https://host/owner/repo(.git)`,
 * `ssh://git@host[:port]/owner/repo(.git)`, `git://host/owner/repo` or
 * `git@host:owner/repo(.git)`.
 */
export function parseRepositoryPath(repositoryUrl: string): RepositoryPath {
  const location = readLocation(repositoryUrl.trim());
  const path = location?.path
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .replace(/^\/+/, '');
  if (!location || !path || !path.includes('/')) {
    throw new InputError(
      `The repository "${redactCredentials(
        repositoryUrl,
      )}" does not name a repository on a code host; use https://host/owner/repo, ssh://git@host/owner/repo.git or git@host:owner/repo.git`,
    );
  }
  return { host: location.host.toLowerCase(), path };
}

/** The two parts of `owner/repo`, for GitHub's API, which has no nested groups. */
export function githubOwnerAndRepo({ host, path }: RepositoryPath): {
  owner: string;
  repo: string;
} {
  const parts = path.split('/');
  if (parts.length !== 2) {
    throw new InputError(
      `"${path}" is not a GitHub repository path on ${host}; GitHub repositories are owner/repo, so use https://${host}/owner/repo`,
    );
  }
  return { owner: parts[0], repo: parts[1] };
}

/**
 * A GitLab served under a path (`https://example.com/gitlab`) has that path in its
 * https repository URLs, but not in project paths.
 */
export function withoutRelativePath(
  path: string,
  relativePath: string,
): string {
  const prefix = relativePath.replace(/^\/+|\/+$/g, '');
  return prefix && path.startsWith(`${prefix}/`)
    ? path.slice(prefix.length + 1)
    : path;
}

function readLocation(url: string): { host: string; path: string } | undefined {
  if (/^(https?|ssh|git):\/\//i.test(url)) {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return undefined;
    }
    // The ssh or git port is not the web port, so it does not name the integration.
    const isWeb = parsed.protocol === 'https:' || parsed.protocol === 'http:';
    return {
      host: isWeb ? parsed.host : parsed.hostname,
      path: parsed.pathname,
    };
  }
  const scpLike = SCP_LIKE.exec(url);
  return scpLike ? { host: scpLike[1], path: scpLike[2] } : undefined;
}

/** Schemes a repository is fetched or browsed over. */
const REPOSITORY_SCHEMES = ['https:', 'http:', 'ssh:', 'git:'];

/** Where the port tells one service of a host from another, so the key keeps it. */
const WEB_SCHEMES = ['https:', 'http:'];

/** scp-like `[user@]host:path`, as git and the code hosts write ssh addresses. */
const SCP_LIKE = /^((?:[^@/\s]+@)?[^@/:\s]+):(?!\/)(.+)$/;

/**
 * A key that is equal for every way of writing the same repository: its web page, https
 * clone URL (with or without `.git`, a trailing slash or credentials), ssh and git://
 * URLs. Host and path are lowercased, as GitHub and GitLab match both case-insensitively;
 * GitLab subgroups stay in the path. A non-default web port of a self-hosted host is kept,
 * an ssh port is not: the ssh and https addresses of one host differ exactly there.
 * Undefined for anything that is not a repository URL.
 */
export function repositoryKey(url: string): string | undefined {
  const scp = url.includes('://') ? null : SCP_LIKE.exec(url.trim());
  const parsed = parseUrl(scp ? `ssh://${scp[1]}/${scp[2]}` : url.trim());
  if (!parsed?.hostname || !REPOSITORY_SCHEMES.includes(parsed.protocol)) {
    return undefined;
  }

  // `URL` already drops the default port of http and https.
  const port = WEB_SCHEMES.includes(parsed.protocol) && parsed.port;
  const host = port ? `${parsed.hostname}:${port}` : parsed.hostname;
  const segments = parsed.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/i, '')
    .split('/')
    .filter(segment => segment);
  if (segments.length < 2) return undefined;
  return [host, ...segments].join('/').toLowerCase();
}

function parseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

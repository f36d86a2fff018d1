import { lookup } from 'dns/promises';
import ipaddr from 'ipaddr.js';
import { SourceError } from '../executors/types';
import { redactCredentials } from './gitUrl';

/** The config key listing the hosts users may reach although they are internal. */
export const ALLOWED_HOSTS_KEY = 'devops.repositories.allowedHosts';

/**
 * The first address of `host` outside the public internet (loopback, private, link-local
 * where cloud metadata answers, ...), or undefined when all are public. Rejects when the
 * name does not resolve.
 */
export async function internalAddressOf(
  host: string,
): Promise<string | undefined> {
  const bare = host.replace(/^\[|\]$/g, '');
  const addresses = ipaddr.isValid(bare)
    ? [bare]
    : (await lookup(bare, { all: true, verbatim: true })).map(a => a.address);
  return addresses.find(
    address => ipaddr.process(address).range() !== 'unicast',
  );
}

/** `scheme://[user@]host[:port]/...`; captures the host. */
const URL_HOST = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/@]*@)?(\[[^\]]*\]|[^/:]+)/;
/** scp-like `[user@]host:path`; captures the host. */
const SCP_HOST = /^(?:[^@/:]+@)?(\[[^\]]*\]|[^/:]+):/;

/** The host a repository string names; undefined for one on the backend's own disk. */
export function repositoryHost(repository: string): string | undefined {
  if (repository.startsWith('file://') || repository.startsWith('/')) {
    return undefined;
  }
  return (URL_HOST.exec(repository) ?? SCP_HOST.exec(repository))?.[1];
}

/**
 * Refuses a pipeline's repository inside the portal's own network before the backend
 * fetches from it: a pipeline's author could otherwise make the backend read what only
 * it can reach (a metadata service, an internal admin page). Hosts the portal's admin
 * lists under `devops.repositories.allowedHosts` (a company GitLab) are let through. A
 * name that does not resolve is left to git, which says so in its own words.
 */
export async function checkRepositoryHost(
  repository: string,
  allowedHosts: string[],
): Promise<void> {
  const host = repositoryHost(repository);
  if (!host || allowedHosts.includes(host.replace(/^\[|\]$/g, ''))) return;
  const internal = await internalAddressOf(host).catch(() => undefined);
  if (internal) {
    throw new SourceError(
      `The pipeline's repository "${redactCredentials(
        repository,
      )}" is on an internal address (${internal}); a portal admin who wants pipelines to use it lists ${host} under ${ALLOWED_HOSTS_KEY}`,
    );
  }
}

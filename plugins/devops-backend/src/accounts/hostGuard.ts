import { InputError } from '@backstage/errors';
import { ALLOWED_HOSTS_KEY, internalAddressOf } from '../scm/internalAddress';

/**
 * Checks the base URL a user gives for a self-hosted code host before the backend sends
 * it anything: https only, and no address inside the portal's own network (loopback,
 * private, link-local, ...), where a request from the backend could reach what the user
 * cannot. Hosts the portal's admin lists under `devops.repositories.allowedHosts` are
 * let through, over http too (an internal GitLab). Returns the URL without a trailing slash.
 */
export async function checkHostUrl(
  value: string,
  allowedHosts: string[],
): Promise<string> {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `"${value}" is not a URL; give the host's address, e.g. https://gitlab.example.com`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new InputError(
      `Give the host's address without credentials, query or fragment, e.g. ${url.origin}`,
    );
  }
  const base = url.href.replace(/\/+$/, '');
  if (allowedHosts.includes(url.hostname)) {
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new InputError(`${base} is not an http(s) address`);
    }
    return base;
  }
  if (url.protocol !== 'https:') {
    throw new InputError(
      `${base} is not an https:// address; code hosts are reached over https`,
    );
  }
  const internal = await internalAddressOf(url.hostname).catch(() => {
    throw new InputError(
      `${url.hostname} is not a host name this portal can resolve`,
    );
  });
  if (internal) {
    throw new InputError(
      `${url.hostname} is an internal address (${internal}); a portal admin who wants users to connect it lists it under ${ALLOWED_HOSTS_KEY}`,
    );
  }
  return base;
}

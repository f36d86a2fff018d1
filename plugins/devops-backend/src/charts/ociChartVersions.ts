import {
  ChartRepositoryUnavailable,
  RepositoryAnswer,
  RepositoryFetch,
  refusal,
} from './repositoryFetch';

/** Enough for thousands of versions; a registry that pages further is not followed. */
const MAX_TAG_PAGES = 20;

/**
 * The versions of `chart` in an OCI registry, `oci://<host>/<path>`: where `helm push`
 * put them, the tags of the repository `<path>/<chart>`, listed with the OCI distribution
 * API (`GET /v2/<name>/tags/list`, paged by `Link: <...>; rel="next"`). Registries that
 * want a token get an anonymous one (the Docker registry token flow). A repository the
 * registry does not know (404) has no versions.
 *
 * `plainHttp`, as `helm --plain-http`: registries are reached over HTTPS otherwise.
 */
export async function ociChartVersions(
  repositoryUrl: string,
  chart: string,
  http: RepositoryFetch,
  { plainHttp = false }: { plainHttp?: boolean } = {},
): Promise<string[]> {
  const { host, path } = splitOciUrl(repositoryUrl);
  const origin = `${plainHttp ? 'http' : 'https'}://${host}`;
  const name = path ? `${path}/${chart}` : chart;
  const headers: Record<string, string> = { Accept: 'application/json' };
  const tags: string[] = [];
  let next: string | undefined = `${origin}/v2/${name}/tags/list`;
  for (let page = 0; next && page < MAX_TAG_PAGES; page += 1) {
    let answer = await http.get(next, headers);
    if (answer.status === 401 && !headers.Authorization) {
      headers.Authorization = `Bearer ${await anonymousToken(
        answer,
        name,
        http,
      )}`;
      answer = await http.get(next, headers);
    }
    if (answer.status === 404) break;
    if (answer.status !== 200) throw refusal(answer);
    tags.push(...readTagList(answer.body));
    next = nextPage(answer, origin);
  }
  // OCI tags cannot hold "+": helm push stores a version's build metadata after "_".
  return tags.map(tag => tag.replaceAll('_', '+'));
}

function splitOciUrl(url: string): { host: string; path: string } {
  const [host, ...path] = url.replace(/^oci:\/\//, '').split('/');
  return { host, path: path.join('/') };
}

/**
 * The registry's 401 names a token service: `WWW-Authenticate: Bearer realm="<url>",
 * service="<name>",scope="<scope>"`. Asked with that service and scope and no
 * credentials, it gives `{"token"}` (or OAuth's `{"access_token"}`) for what anonymous
 * users may do; a registry that wants more refuses the retry.
 */
async function anonymousToken(
  answer: RepositoryAnswer,
  name: string,
  http: RepositoryFetch,
): Promise<string> {
  const challenge = bearerChallenge(answer.headers.get('www-authenticate'));
  if (!challenge?.realm) throw refusal(answer);
  const tokenUrl = URL.canParse(challenge.realm)
    ? new URL(challenge.realm)
    : undefined;
  if (tokenUrl?.protocol !== 'https:' && tokenUrl?.protocol !== 'http:') {
    throw new ChartRepositoryUnavailable(
      `named a token service that is not a web address ("${challenge.realm}")`,
    );
  }
  if (challenge.service) {
    tokenUrl.searchParams.set('service', challenge.service);
  }
  const scopes = (challenge.scope ?? `repository:${name}:pull`).split(' ');
  for (const scope of scopes.filter(Boolean)) {
    tokenUrl.searchParams.append('scope', scope);
  }
  const tokenAnswer = await http.get(tokenUrl.href, {
    Accept: 'application/json',
  });
  if (tokenAnswer.status !== 200) throw refusal(tokenAnswer);
  const { token, access_token: accessToken } = (parseJson(tokenAnswer.body) ??
    {}) as { token?: unknown; access_token?: unknown };
  const found = [token, accessToken].find(
    value => typeof value === 'string' && value,
  );
  if (typeof found !== 'string') {
    throw new ChartRepositoryUnavailable(
      `sent the portal to a token service (${tokenUrl.origin}) that gave no token (neither "token" nor "access_token")`,
    );
  }
  return found;
}

/** The parameters of a Bearer challenge, or undefined for another scheme (Basic...). */
function bearerChallenge(
  header: string | null,
): Record<string, string> | undefined {
  const params = header?.match(/^\s*Bearer\s+(.*)$/i)?.[1];
  if (params === undefined) return undefined;
  const challenge: Record<string, string> = {};
  for (const [, key, quoted, bare] of params.matchAll(
    /([A-Za-z_]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g,
  )) {
    challenge[key.toLowerCase()] = quoted?.replace(/\\(.)/g, '$1') ?? bare;
  }
  return challenge;
}

/** `{"name": "<name>", "tags": ["<tag>", ...]}`; registries send `null` for no tags. */
function readTagList(body: string): string[] {
  const { tags } = (parseJson(body) ?? {}) as { tags?: unknown };
  if (tags === null) return [];
  if (!Array.isArray(tags) || !tags.every(tag => typeof tag === 'string')) {
    throw new ChartRepositoryUnavailable(
      'sent a tag list that is not the OCI distribution API\'s {"name", "tags"}',
    );
  }
  return tags;
}

/** The `Link: <url>; rel="next"` of a paged tag list, on the registry's own host. */
function nextPage(
  answer: RepositoryAnswer,
  origin: string,
): string | undefined {
  const link = answer.headers
    .get('link')
    ?.match(/<([^>]+)>\s*;\s*rel="?next"?/)?.[1];
  if (!link) return undefined;
  const next = URL.canParse(link, answer.url)
    ? new URL(link, answer.url)
    : undefined;
  if (next?.origin !== origin) {
    throw new ChartRepositoryUnavailable(
      `sent a link to the next page of tags that is not on its own host ("${link}")`,
    );
  }
  return next.href;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

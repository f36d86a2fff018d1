import type { CodeHostRepository } from '@devops-pipelines/plugin-devops-common';
import { sendCodeHostRequest } from '../../triggers/codeHosts/codeHostRequest';
import {
  HostApi,
  ListPage,
  ListQuery,
  RepositoryLister,
  pageOf,
} from './types';

/**
 * GitHub cannot search a user's own repositories (its search API covers all of GitHub,
 * and /user/repos has no filter), so a search reads this many pages of 100 of the most
 * recently updated ones and filters them.
 */
const SEARCHED_PAGES = 10;

type GithubRepository = {
  full_name: string;
  clone_url: string;
  html_url: string;
  default_branch?: string;
  private: boolean;
};

const repositoryOf = (repo: GithubRepository): CodeHostRepository => ({
  name: repo.full_name,
  url: repo.clone_url,
  webUrl: repo.html_url,
  defaultBranch: repo.default_branch,
  private: repo.private,
});

async function get(api: HostApi, path: string) {
  const answer = await sendCodeHostRequest(api.call, {
    method: 'GET',
    url: `${api.apiBaseUrl}${path}`,
    headers: api.headers,
  });
  return {
    body: answer.body as any[],
    // GitHub pages with a `Link: <...>; rel="next"` header.
    hasNext: /rel="next"/.test(answer.headers.get('link') ?? ''),
  };
}

const userRepositories = (api: HostApi, page: number, perPage: number) =>
  get(
    api,
    `/user/repos?${new URLSearchParams({
      sort: 'updated',
      per_page: String(perPage),
      page: String(page),
    })}`,
  );

async function searchRepositories(
  api: HostApi,
  query: ListQuery,
): Promise<ListPage<CodeHostRepository>> {
  const term = query.search.toLowerCase();
  const matches: CodeHostRepository[] = [];
  for (let page = 1; page <= SEARCHED_PAGES; page++) {
    const { body, hasNext } = await userRepositories(api, page, 100);
    matches.push(
      ...body
        .filter(repo => repo.full_name.toLowerCase().includes(term))
        .map(repositoryOf),
    );
    if (!hasNext) break;
  }
  return pageOf(matches, query);
}

/** `owner/repo` as two escaped path segments. */
const repositoryApiPath = (path: string) =>
  `/repos/${path.split('/').map(encodeURIComponent).join('/')}`;

/** github.com and GitHub Enterprise Server (REST API v3). */
export const githubLister: RepositoryLister = {
  authorization: token => ({
    Accept: 'application/vnd.github+json',
    'X-GitHub-Api-Version': '2022-11-28',
    Authorization: `Bearer ${token}`,
  }),

  async repositories(api, query) {
    if (query.search) return searchRepositories(api, query);
    const { body, hasNext } = await userRepositories(
      api,
      query.page,
      query.perPage,
    );
    return {
      items: body.map(repositoryOf),
      nextPage: hasNext ? query.page + 1 : undefined,
    };
  },

  async branches(api, path, query) {
    const repository = repositoryApiPath(path);
    if (query.search) {
      // Every ref whose name starts with the text, in one answer (not paged by GitHub).
      const prefix = query.search.split('/').map(encodeURIComponent).join('/');
      const { body } = await get(
        api,
        `${repository}/git/matching-refs/heads/${prefix}`,
      );
      const names = body
        .map(ref => String(ref.ref))
        .filter(ref => ref.startsWith('refs/heads/'))
        .map(ref => ({ name: ref.slice('refs/heads/'.length) }));
      return pageOf(names, query);
    }
    const { body, hasNext } = await get(
      api,
      `${repository}/branches?${new URLSearchParams({
        per_page: String(query.perPage),
        page: String(query.page),
      })}`,
    );
    return {
      items: body.map(branch => ({ name: String(branch.name) })),
      nextPage: hasNext ? query.page + 1 : undefined,
    };
  },
};

import { sendCodeHostRequest } from '../../triggers/codeHosts/codeHostRequest';
import { HostApi, ListQuery, RepositoryLister } from './types';

async function get(api: HostApi, path: string, query: ListQuery, extra = {}) {
  const search = new URLSearchParams({
    ...extra,
    ...(query.search ? { search: query.search } : {}),
    per_page: String(query.perPage),
    page: String(query.page),
  });
  const answer = await sendCodeHostRequest(api.call, {
    method: 'GET',
    url: `${api.apiBaseUrl}${path}?${search}`,
    headers: api.headers,
  });
  // GitLab's offset pagination: `x-next-page` is empty on the last page.
  const next = Number(answer.headers.get('x-next-page'));
  return {
    body: answer.body as any[],
    nextPage: Number.isInteger(next) && next > 0 ? next : undefined,
  };
}

/** gitlab.com and self-managed GitLab (REST API v4). */
export const gitlabLister: RepositoryLister = {
  authorization: token => ({ Authorization: `Bearer ${token}` }),

  async repositories(api, query) {
    // Projects the user is a member of, not every public project of the instance.
    const { body, nextPage } = await get(api, '/projects', query, {
      membership: 'true',
      order_by: 'last_activity_at',
    });
    return {
      items: body.map(project => ({
        name: String(project.path_with_namespace),
        url: String(project.http_url_to_repo),
        webUrl: String(project.web_url),
        defaultBranch: project.default_branch ?? undefined,
        private: project.visibility !== 'public',
      })),
      nextPage,
    };
  },

  async branches(api, path, query) {
    const { body, nextPage } = await get(
      api,
      `/projects/${encodeURIComponent(path)}/repository/branches`,
      query,
    );
    return {
      items: body.map(branch => ({ name: String(branch.name) })),
      nextPage,
    };
  },
};

import {
  type CodeHostBranch,
  type CodeHostPage,
  type CodeHostProvider,
  type CodeHostRepository,
  type RepositoryListSource,
} from '@devops-pipelines/plugin-devops-common';
import { InputError } from '@backstage/errors';
import { missingCredentialsError } from '../triggers/codeHosts/codeHostErrors';
import {
  githubOwnerAndRepo,
  parseRepositoryPath,
  withoutRelativePath,
} from '../triggers/codeHosts/repositoryPath';
import type { AccountService } from './AccountService';
import type { IntegrationCredentials } from './integrationCredentials';
import { githubLister } from './listing/githubLister';
import { gitlabLister } from './listing/gitlabLister';
import type { HostApi, ListQuery, RepositoryLister } from './listing/types';

/** Rows per page of the pickers and the Repositories page. */
const PER_PAGE = 20;
/** Pages beyond this are not worth reading one by one; a search finds the repository. */
const MAX_PAGE = 100;

const LISTERS: Record<CodeHostProvider, RepositoryLister> = {
  github: githubLister,
  gitlab: gitlabLister,
};

const PUBLIC_HOSTS: Record<CodeHostProvider, string> = {
  github: 'github.com',
  gitlab: 'gitlab.com',
};

export type BrowseQuery = { search?: string; page?: number };

type Connection = {
  api: HostApi;
  via: RepositoryListSource;
  /** The path a self-hosted GitLab is served under, which project paths leave out. */
  basePath: string;
};

/**
 * The repositories and branches a user may pick for a pipeline's source: read with
 * their connected account, or where they have none on that host with the portal's
 * `integrations:` credentials.
 */
export class RepositoryBrowser {
  constructor(
    private readonly deps: {
      accounts: AccountService;
      integrations: IntegrationCredentials;
    },
  ) {}

  async repositories(
    userRef: string,
    provider: CodeHostProvider,
    query: BrowseQuery,
  ): Promise<CodeHostPage<CodeHostRepository>> {
    const { api, via } = await this.#connect(userRef, provider);
    const list = listQuery(query);
    const page = await LISTERS[provider].repositories(api, list);
    return { ...page, page: list.page, via };
  }

  async branches(
    userRef: string,
    provider: CodeHostProvider,
    repositoryUrl: string,
    query: BrowseQuery,
  ): Promise<CodeHostPage<CodeHostBranch>> {
    const location = parseRepositoryPath(repositoryUrl);
    const { api, via, basePath } = await this.#connect(
      userRef,
      provider,
      repositoryUrl,
    );
    const path =
      provider === 'github'
        ? Object.values(githubOwnerAndRepo(location)).join('/')
        : withoutRelativePath(location.path, basePath);
    const list = listQuery(query);
    const page = await LISTERS[provider].branches(
      { ...api, call: { ...api.call, repository: path } },
      path,
      list,
    );
    return { ...page, page: list.page, via };
  }

  /** The user's account on the repository's host (any host without one), else the portal's. */
  async #connect(
    userRef: string,
    provider: CodeHostProvider,
    repositoryUrl?: string,
  ): Promise<Connection> {
    const lister = LISTERS[provider];
    const host = repositoryUrl && parseRepositoryPath(repositoryUrl).host;
    const account = (await this.deps.accounts.list(userRef)).find(
      candidate =>
        candidate.provider === provider &&
        candidate.login &&
        (!host || new URL(candidate.baseUrl).host === host),
    );
    if (account) {
      const access = await this.deps.accounts.access(account.id);
      return {
        api: {
          call: {
            provider,
            host: new URL(access.baseUrl).host,
            repository: '',
            purpose: 'repositories',
            credentials: 'account',
            account: access.login,
          },
          apiBaseUrl: access.apiBaseUrl,
          headers: lister.authorization(access.token),
        },
        via: {
          kind: 'account',
          accountId: account.id,
          login: access.login,
          baseUrl: access.baseUrl,
        },
        basePath: new URL(access.baseUrl).pathname,
      };
    }
    const integration = repositoryUrl
      ? await this.deps.integrations.forRepository(provider, repositoryUrl)
      : this.deps.integrations.forListing(provider);
    if (!integration) {
      throw missingCredentialsError(
        provider,
        host || PUBLIC_HOSTS[provider],
        'repositories',
      );
    }
    return {
      api: {
        call: {
          provider,
          host: integration.host,
          repository: '',
          purpose: 'repositories',
          credentials: integration.type,
        },
        apiBaseUrl: integration.apiBaseUrl,
        headers: lister.authorization(integration.token),
      },
      via: { kind: 'integration', host: integration.host },
      basePath: new URL(integration.apiBaseUrl).pathname.replace(
        /\/api\/v4\/?$/,
        '',
      ),
    };
  }
}

function listQuery(query: BrowseQuery): ListQuery {
  const page = query.page ?? 1;
  if (!Number.isInteger(page) || page < 1 || page > MAX_PAGE) {
    throw new InputError(
      `page must be a whole number from 1 to ${MAX_PAGE}; search by name to find a repository further down`,
    );
  }
  return { search: query.search?.trim() ?? '', page, perPage: PER_PAGE };
}

import { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
  ScmIntegrations,
} from '@backstage/integration';
import {
  CodeHostCall,
  missingApiBaseUrlError,
  missingCredentialsError,
} from './codeHostErrors';
import { sendCodeHostRequest, sendToRepository } from './codeHostRequest';
import { RepositoryHooks, ensureHook, removeHooks } from './repositoryHooks';
import { githubOwnerAndRepo, parseRepositoryPath } from './repositoryPath';
import {
  AccountAccess,
  CodeHostClient,
  CommitStatus,
  WebhookSpec,
} from './types';

/** Tags arrive as pushes of refs/tags/..., so these two cover branches, tags and pull requests. */
const HOOK_EVENTS = ['push', 'pull_request'];

/** GitHub refuses longer commit status descriptions with 422. */
const MAX_DESCRIPTION_LENGTH = 140;

type GithubHook = { id: number; config: { url?: string } };

/** One repository's API, with the credentials that may call it. */
type GithubRepository = {
  call: CodeHostCall;
  apiBaseUrl: string;
  /** `<apiBaseUrl>/repos/<owner>/<repo>` */
  repositoryApiUrl: string;
  headers: Record<string, string>;
};

/**
 * Webhooks and commit statuses through GitHub's REST API (github.com or GitHub
 * Enterprise Server), with the credentials of the portal's `integrations.github`.
 */
export class GithubClient implements CodeHostClient {
  static fromConfig(config: Config): GithubClient {
    const integrations = ScmIntegrations.fromConfig(config);
    return new GithubClient(
      integrations,
      DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    );
  }

  private constructor(
    private readonly integrations: ScmIntegrationRegistry,
    private readonly credentialsProvider: GithubCredentialsProvider,
  ) {}

  async ensureWebhook(
    repositoryUrl: string,
    spec: WebhookSpec,
    account?: AccountAccess,
  ): Promise<{ id: string; created: boolean }> {
    const hooks = this.hooksOf(
      await this.connect(repositoryUrl, 'webhooks', account),
    );
    return ensureHook(
      hooks,
      spec.url,
      {
        active: true,
        events: HOOK_EVENTS,
        config: {
          url: spec.url,
          content_type: 'json',
          insecure_ssl: '0',
          secret: spec.secret,
        },
      },
      { name: 'web' },
    );
  }

  async removeWebhook(
    repositoryUrl: string,
    hookUrl: string,
    account?: AccountAccess,
  ): Promise<void> {
    const hooks = this.hooksOf(
      await this.connect(repositoryUrl, 'webhooks', account),
    );
    await removeHooks(hooks, hookUrl);
  }

  async setCommitStatus(
    repositoryUrl: string,
    sha: string,
    status: CommitStatus,
    account?: AccountAccess,
  ): Promise<void> {
    const repository = await this.connect(
      repositoryUrl,
      'commitStatuses',
      account,
    );
    await sendToRepository(repository, {
      method: 'POST',
      url: `${repository.repositoryApiUrl}/statuses/${encodeURIComponent(sha)}`,
      body: {
        state: status.state,
        target_url: status.targetUrl,
        description: shorten(status.description, MAX_DESCRIPTION_LENGTH),
        context: status.context,
      },
    });
  }

  private hooksOf(repository: GithubRepository): RepositoryHooks {
    return {
      repository,
      hooksUrl: `${repository.repositoryApiUrl}/hooks`,
      updateMethod: 'PATCH',
      list: async () =>
        (await this.listHooks(repository)).map(hook => ({
          id: hook.id,
          url: hook.config.url,
        })),
    };
  }

  /** All hooks of the repository, following the `Link: <...>; rel="next"` pages. */
  private async listHooks(repository: GithubRepository): Promise<GithubHook[]> {
    const hooks: GithubHook[] = [];
    let url:
      | string
      | undefined = `${repository.repositoryApiUrl}/hooks?per_page=100`;
    while (url) {
      const answer = await sendCodeHostRequest(repository.call, {
        method: 'GET',
        url,
        headers: repository.headers,
      });
      hooks.push(...(answer.body as GithubHook[]));
      url = nextPageUrl(answer.headers.get('link'), repository.apiBaseUrl);
    }
    return hooks;
  }

  private async connect(
    repositoryUrl: string,
    purpose: CodeHostCall['purpose'],
    account?: AccountAccess,
  ): Promise<GithubRepository> {
    const location = parseRepositoryPath(repositoryUrl);
    const { owner, repo } = githubOwnerAndRepo(location);
    if (account) {
      return repositoryApi({
        host: new URL(account.baseUrl).host,
        owner,
        repo,
        apiBaseUrl: account.apiBaseUrl,
        call: { purpose, credentials: 'account', account: account.login },
        headers: { Authorization: `Bearer ${account.token}` },
      });
    }
    const integration = this.integrations.github.byHost(location.host);
    if (!integration) {
      throw missingCredentialsError('github', location.host, purpose);
    }
    const { host, apiBaseUrl } = integration.config;
    if (!apiBaseUrl) {
      throw missingApiBaseUrlError(host);
    }
    // An App installation is chosen by owner and repository, so the URL must name both.
    const credentials = await this.credentialsProvider.getCredentials({
      url: `https://${host}/${owner}/${repo}`,
    });
    if (!credentials.token) {
      throw missingCredentialsError('github', host, purpose);
    }
    return repositoryApi({
      host,
      owner,
      repo,
      apiBaseUrl,
      call: { purpose, credentials: credentials.type },
      headers: credentials.headers ?? {},
    });
  }
}

/** A repository's API with the credentials' headers, and what error messages name. */
function repositoryApi(options: {
  host: string;
  owner: string;
  repo: string;
  apiBaseUrl: string;
  call: Pick<CodeHostCall, 'purpose' | 'credentials' | 'account'>;
  headers: Record<string, string>;
}): GithubRepository {
  const { host, owner, repo, apiBaseUrl } = options;
  return {
    call: {
      provider: 'github',
      host,
      repository: `${owner}/${repo}`,
      webhooksPage: `https://${host}/${owner}/${repo}/settings/hooks`,
      ...options.call,
    },
    apiBaseUrl,
    repositoryApiUrl: `${apiBaseUrl}/repos/${encodeURIComponent(
      owner,
    )}/${encodeURIComponent(repo)}`,
    headers: {
      Accept: 'application/vnd.github+json',
      'X-GitHub-Api-Version': '2022-11-28',
      ...options.headers,
    },
  };
}

/**
 * The `rel="next"` page of a Link header, on the origin of `apiBaseUrl`: the request
 * carries the token, which must go nowhere else, and a GitHub Enterprise Server behind a
 * proxy may name itself by another host name in links.
 */
function nextPageUrl(
  link: string | null,
  apiBaseUrl: string,
): string | undefined {
  const next = link && /<([^>]*)>\s*;\s*rel="next"/.exec(link)?.[1];
  if (!next) {
    return undefined;
  }
  const { pathname, search } = new URL(next, apiBaseUrl);
  return new URL(`${pathname}${search}`, apiBaseUrl).href;
}

function shorten(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - 1)}…`;
}

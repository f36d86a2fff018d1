import { Config } from '@backstage/config';
import {
  ScmIntegrationRegistry,
  ScmIntegrations,
  getGitLabIntegrationRelativePath,
} from '@backstage/integration';
import { CodeHostCall, missingCredentialsError } from './codeHostErrors';
import { sendCodeHostRequest, sendToRepository } from './codeHostRequest';
import { RepositoryHooks, ensureHook, removeHooks } from './repositoryHooks';
import { parseRepositoryPath, withoutRelativePath } from './repositoryPath';
import {
  AccountAccess,
  CodeHostClient,
  CommitState,
  CommitStatus,
  WebhookSpec,
} from './types';

type GitlabCommitState =
  | 'pending'
  | 'running'
  | 'success'
  | 'failed'
  | 'canceled';

const GITLAB_STATES: Record<CommitState, GitlabCommitState> = {
  pending: 'pending',
  success: 'success',
  failure: 'failed',
  error: 'failed',
};

/**
 * GitLab refuses to post a status its commit already has, e.g. `Cannot transition status
 * via :enqueue from :pending`; captures the current state.
 */
const SAME_STATE_REFUSAL = /Cannot transition status via :\w+ from :(\w+)/;

type GitlabHook = { id: number; url: string };

/** One project's API, with the token that may call it. */
type GitlabProject = {
  call: CodeHostCall;
  /** `<apiBaseUrl>/projects/<url-encoded path>` */
  projectApiUrl: string;
  headers: Record<string, string>;
};

/**
 * Webhooks and commit statuses through GitLab's REST API v4 (gitlab.com or self-managed,
 * GitLab 9.0 and later), with the token of the portal's `integrations.gitlab`.
 */
export class GitlabClient implements CodeHostClient {
  static fromConfig(config: Config): GitlabClient {
    return new GitlabClient(ScmIntegrations.fromConfig(config));
  }

  private constructor(private readonly integrations: ScmIntegrationRegistry) {}

  async ensureWebhook(
    repositoryUrl: string,
    spec: WebhookSpec,
    account?: AccountAccess,
  ): Promise<{ id: string; created: boolean }> {
    const hooks = this.hooksOf(
      this.connect(repositoryUrl, 'webhooks', account),
    );
    return ensureHook(hooks, spec.url, {
      url: spec.url,
      token: spec.secret,
      push_events: true,
      tag_push_events: true,
      merge_requests_events: true,
      enable_ssl_verification: true,
    });
  }

  async removeWebhook(
    repositoryUrl: string,
    hookUrl: string,
    account?: AccountAccess,
  ): Promise<void> {
    await removeHooks(
      this.hooksOf(this.connect(repositoryUrl, 'webhooks', account)),
      hookUrl,
    );
  }

  async setCommitStatus(
    repositoryUrl: string,
    sha: string,
    status: CommitStatus,
    account?: AccountAccess,
  ): Promise<void> {
    const project = this.connect(repositoryUrl, 'commitStatuses', account);
    const state = GITLAB_STATES[status.state];
    await sendToRepository(
      project,
      {
        method: 'POST',
        url: `${project.projectApiUrl}/statuses/${encodeURIComponent(sha)}`,
        body: {
          state,
          name: status.context,
          target_url: status.targetUrl,
          description: status.description,
        },
      },
      // Already in that state (a repeated report): nothing to change.
      refusal =>
        refusal.status === 400 &&
        SAME_STATE_REFUSAL.exec(JSON.stringify(refusal.body))?.[1] === state,
    );
  }

  private hooksOf(project: GitlabProject): RepositoryHooks {
    return {
      repository: project,
      hooksUrl: `${project.projectApiUrl}/hooks`,
      updateMethod: 'PUT',
      list: () => this.listHooks(project),
    };
  }

  /** All hooks of the project, following the `x-next-page` header. */
  private async listHooks(project: GitlabProject): Promise<GitlabHook[]> {
    const hooks: GitlabHook[] = [];
    let page: string | null = '1';
    while (page) {
      const answer = await sendCodeHostRequest(project.call, {
        method: 'GET',
        url: `${
          project.projectApiUrl
        }/hooks?per_page=100&page=${encodeURIComponent(page)}`,
        headers: project.headers,
      });
      hooks.push(...(answer.body as GitlabHook[]));
      page = answer.headers.get('x-next-page');
    }
    return hooks;
  }

  private connect(
    repositoryUrl: string,
    purpose: CodeHostCall['purpose'],
    account?: AccountAccess,
  ): GitlabProject {
    const location = parseRepositoryPath(repositoryUrl);
    if (account) {
      const base = new URL(account.baseUrl);
      return projectApi({
        host: base.host,
        baseUrl: account.baseUrl.replace(/\/+$/, ''),
        apiBaseUrl: account.apiBaseUrl,
        path: withoutRelativePath(location.path, base.pathname),
        call: { purpose, credentials: 'account', account: account.login },
        headers: { Authorization: `Bearer ${account.token}` },
      });
    }
    const integration = this.integrations.gitlab.byHost(location.host);
    if (!integration?.config.token) {
      throw missingCredentialsError('gitlab', location.host, purpose);
    }
    const { host, apiBaseUrl, baseUrl, token } = integration.config;
    return projectApi({
      host,
      baseUrl,
      apiBaseUrl,
      path: withoutRelativePath(
        location.path,
        getGitLabIntegrationRelativePath(integration.config),
      ),
      call: { purpose, credentials: 'token' },
      headers: { 'PRIVATE-TOKEN': token },
    });
  }
}

/** A project's API with the credentials' headers, and what error messages name. */
function projectApi(options: {
  host: string;
  baseUrl: string;
  apiBaseUrl: string;
  /** `group/sub/project`, without the path GitLab may be served under. */
  path: string;
  call: Pick<CodeHostCall, 'purpose' | 'credentials' | 'account'>;
  headers: Record<string, string>;
}): GitlabProject {
  const { host, baseUrl, apiBaseUrl, path } = options;
  return {
    call: {
      provider: 'gitlab',
      host,
      repository: path,
      webhooksPage: `${baseUrl}/${path}/-/hooks`,
      ...options.call,
    },
    projectApiUrl: `${apiBaseUrl}/projects/${encodeURIComponent(path)}`,
    headers: options.headers,
  };
}

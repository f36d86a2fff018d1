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
  ): Promise<{ id: string; created: boolean }> {
    const hooks = this.hooksOf(this.connect(repositoryUrl, 'webhooks'));
    return ensureHook(hooks, spec.url, {
      url: spec.url,
      token: spec.secret,
      push_events: true,
      tag_push_events: true,
      merge_requests_events: true,
      enable_ssl_verification: true,
    });
  }

  async removeWebhook(repositoryUrl: string, hookUrl: string): Promise<void> {
    await removeHooks(
      this.hooksOf(this.connect(repositoryUrl, 'webhooks')),
      hookUrl,
    );
  }

  async setCommitStatus(
    repositoryUrl: string,
    sha: string,
    status: CommitStatus,
  ): Promise<void> {
    const project = this.connect(repositoryUrl, 'commitStatuses');
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
  ): GitlabProject {
    const location = parseRepositoryPath(repositoryUrl);
    const integration = this.integrations.gitlab.byHost(location.host);
    if (!integration?.config.token) {
      throw missingCredentialsError('gitlab', location.host, purpose);
    }
    const { host, apiBaseUrl, baseUrl, token } = integration.config;
    const path = withoutRelativePath(
      location.path,
      getGitLabIntegrationRelativePath(integration.config),
    );
    return {
      call: {
        provider: 'gitlab',
        host,
        repository: path,
        purpose,
        credentials: 'token',
        webhooksPage: `${baseUrl}/${path}/-/hooks`,
      },
      projectApiUrl: `${apiBaseUrl}/projects/${encodeURIComponent(path)}`,
      headers: { 'PRIVATE-TOKEN': token },
    };
  }
}

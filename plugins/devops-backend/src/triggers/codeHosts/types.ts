/** The state of a run as GitHub's commit statuses name it; GitLab's are mapped from these. */
export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export type WebhookSpec = {
  /** The events ingress URL the host posts to. */
  url: string;
  /** GitHub: the HMAC secret (X-Hub-Signature-256); GitLab: the X-Gitlab-Token value. */
  secret: string;
};

export type CommitStatus = {
  state: CommitState;
  /** Where the host's page links to: the run in the portal. */
  targetUrl: string;
  /** Tells this status apart from other checks on the same commit. */
  context: string;
  description: string;
};

/**
 * A user's connected account, whose token calls the host instead of the portal's
 * `integrations:` credentials (a pipeline whose source names the account).
 */
export type AccountAccess = {
  token: string;
  login: string;
  /** The host's web address, e.g. `https://github.com` or a self-hosted GitLab. */
  baseUrl: string;
  /** The REST API root of that host. */
  apiBaseUrl: string;
};

/**
 * The portal's calls to a code host for event triggers: one shared webhook per
 * repository, and commit statuses; with the account's token when one is given, else
 * with the portal's `integrations:` credentials.
 */
export interface CodeHostClient {
  /**
   * Creates the hook for `spec.url` unless the repository has one already (compared by
   * URL); otherwise brings its events and secret up to date. Returns the host's hook id.
   */
  ensureWebhook(
    repositoryUrl: string,
    spec: WebhookSpec,
    account?: AccountAccess,
  ): Promise<{ id: string; created: boolean }>;
  /** Removes the repository's hook(s) whose URL is `hookUrl`; none is fine. */
  removeWebhook(
    repositoryUrl: string,
    hookUrl: string,
    account?: AccountAccess,
  ): Promise<void>;
  setCommitStatus(
    repositoryUrl: string,
    sha: string,
    status: CommitStatus,
    account?: AccountAccess,
  ): Promise<void>;
}

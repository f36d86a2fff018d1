import type { CodeHostProvider } from '@devops-pipelines/plugin-devops-common';

/** A user's connection to GitHub or GitLab, without its secrets. */
export type CodeHostAccount = {
  id: string;
  userRef: string;
  provider: CodeHostProvider;
  /** The host's web address, e.g. `https://github.com` or a self-hosted GitLab. */
  baseUrl: string;
  /** The OAuth application's client ID (GitLab: application ID). */
  clientId: string;
  /** The account name on the host; undefined until an authorization came back. */
  login?: string;
  tokenExpiresAt?: Date;
  createdAt: Date;
  updatedAt: Date;
};

/** What an account keeps sealed: the application's secret, and its tokens once given. */
export type AccountSecrets = {
  clientSecret: string;
  accessToken?: string;
  refreshToken?: string;
};

/** Tokens a code host gave, by an authorization or a refresh. */
export type AccountTokens = {
  accessToken: string;
  refreshToken?: string;
  /** Undefined where the token does not expire (GitHub OAuth applications). */
  expiresAt?: Date;
};

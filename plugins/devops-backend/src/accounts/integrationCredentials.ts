import type { CodeHostProvider } from '@devops-pipelines/plugin-devops-common';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrationRegistry,
} from '@backstage/integration';

/** The portal's own credentials for a code host, from an `integrations:` entry. */
export type IntegrationToken = {
  host: string;
  apiBaseUrl: string;
  token: string;
  /** A configured token, or a GitHub App's installation token. */
  type: 'token' | 'app';
};

/**
 * The organisation-wide fallback where a user has no connected account: the tokens of
 * the portal's `integrations:` entries, through `@backstage/integration` so that an
 * adopter's existing configuration (tokens, GitHub Apps) serves as it is.
 */
export class IntegrationCredentials {
  readonly #github: GithubCredentialsProvider;

  constructor(private readonly integrations: ScmIntegrationRegistry) {
    this.#github =
      DefaultGithubCredentialsProvider.fromIntegrations(integrations);
  }

  /** Credentials that may read the repository at `url`, if the portal has any. */
  async forRepository(
    provider: CodeHostProvider,
    url: string,
  ): Promise<IntegrationToken | undefined> {
    if (provider === 'gitlab') {
      const config = this.integrations.gitlab.byUrl(url)?.config;
      return config?.token
        ? { ...this.#gitlab(config), token: config.token }
        : undefined;
    }
    const config = this.integrations.github.byUrl(url)?.config;
    if (!config?.apiBaseUrl) return undefined;
    // A GitHub App without an installation for the repository's owner throws.
    const credentials = await this.#github
      .getCredentials({ url })
      .catch(() => undefined);
    return credentials?.token
      ? {
          host: config.host,
          apiBaseUrl: config.apiBaseUrl,
          token: credentials.token,
          type: credentials.type,
        }
      : undefined;
  }

  /**
   * A configured token that lists repositories: the first entry with one. GitHub Apps
   * list only per installation, so they serve for a given repository's branches only.
   */
  forListing(provider: CodeHostProvider): IntegrationToken | undefined {
    if (provider === 'gitlab') {
      const config = this.integrations.gitlab
        .list()
        .find(entry => entry.config.token)?.config;
      return config?.token
        ? { ...this.#gitlab(config), token: config.token }
        : undefined;
    }
    const config = this.integrations.github
      .list()
      .find(entry => entry.config.token && entry.config.apiBaseUrl)?.config;
    return config?.token && config.apiBaseUrl
      ? {
          host: config.host,
          apiBaseUrl: config.apiBaseUrl,
          token: config.token,
          type: 'token',
        }
      : undefined;
  }

  #gitlab(config: { host: string; apiBaseUrl: string }) {
    return {
      host: config.host,
      apiBaseUrl: config.apiBaseUrl,
      type: 'token' as const,
    };
  }
}

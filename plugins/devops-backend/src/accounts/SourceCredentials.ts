import { NotFoundError } from '@backstage/errors';
import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import { SourceError, type RunSource } from '../executors/types';
import type { GitCredentials } from '../scm/gitCredentials';
import type { AccountService } from './AccountService';
import type { IntegrationCredentials } from './integrationCredentials';

/**
 * The user names the hosts expect with a token as the password: GitHub takes
 * `x-access-token` for OAuth and installation tokens, GitLab `oauth2` for OAuth tokens
 * (a personal access token works with any name).
 */
const TOKEN_USERNAMES = { github: 'x-access-token', gitlab: 'oauth2' } as const;

/**
 * The credentials a run reads its repository with: the pipeline's connected account,
 * else the portal's `integrations:` entry for the host, else none (a public repository,
 * or ssh with the backend's own keys). Handed out per checkout, so a refreshed token is
 * used as soon as there is one.
 */
export class SourceCredentials {
  constructor(
    private readonly deps: {
      accounts: AccountService;
      integrations: IntegrationCredentials;
    },
  ) {}

  readonly forSource = async (
    source: Pick<RunSource, 'provider' | 'repository' | 'accountId'>,
  ): Promise<GitCredentials | undefined> => {
    const { provider, repository, accountId } = source;
    if (provider === 'git') return undefined;
    const name = CODE_HOST_NAMES[provider];
    if (accountId) {
      let token: string;
      try {
        token = await this.deps.accounts.accessToken(accountId);
      } catch (error) {
        // The run's source step fails saying what to do, like any other source problem.
        throw new SourceError(
          error instanceof NotFoundError
            ? `The ${name} account the pipeline's source is read with is no longer connected; choose other credentials in the pipeline's Source`
            : (error as Error).message,
        );
      }
      return {
        username: TOKEN_USERNAMES[provider],
        password: token,
        refusedAdvice: `${name} refused the account's token: reconnect your ${name} account on the Repositories page`,
      };
    }
    // The portal's token never travels over plain http, nor to an ssh URL.
    if (!/^https:\/\//i.test(repository)) return undefined;
    const integration = await this.deps.integrations.forRepository(
      provider,
      repository,
    );
    return integration
      ? {
          username: TOKEN_USERNAMES[provider],
          password: integration.token,
          refusedAdvice: `${name} refused the token of the portal's integrations.${provider} entry for ${integration.host}: ask the portal admin to renew it`,
        }
      : undefined;
  };
}

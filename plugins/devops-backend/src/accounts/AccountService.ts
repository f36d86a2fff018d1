import {
  CODE_HOST_NAMES,
  connectAccountRequestSchema,
  type ApplicationRegistration,
  type CodeHostProvider,
  type PipelineSource,
} from '@devops-pipelines/plugin-devops-common';
import { z } from 'zod';
import { DiscoveryService, LoggerService } from '@backstage/backend-plugin-api';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import { createHash, randomBytes } from 'crypto';
import { DatabaseAccountStore } from './DatabaseAccountStore';
import { parseRepositoryPath } from '../triggers/codeHosts/repositoryPath';
import type { AccountAccess } from '../triggers/codeHosts/types';
import { checkHostUrl } from './hostGuard';
import {
  OAuthApplication,
  OAuthError,
  OAuthProvider,
  oauthProviders,
} from './oauthProviders';
import type { AccountSecrets, CodeHostAccount } from './types';

/** An authorization not back by then is forgotten; the user starts again. */
const AUTHORIZATION_TTL_MS = 10 * 60_000;
/** A token this close to its expiry is refreshed before it is handed out. */
const REFRESH_BEFORE_MS = 60_000;

const DEFAULT_BASE_URLS: Record<CodeHostProvider, string> = {
  github: 'https://github.com',
  gitlab: 'https://gitlab.com',
};

export type ConnectRequest = z.infer<typeof connectAccountRequestSchema>;

/** The callback's query, as the host sends it back (RFC 6749 §4.1.2). */
export type AuthorizationAnswer = {
  state?: string;
  code?: string;
  error?: string;
  error_description?: string;
};

const base64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * Users' GitHub and GitLab accounts: connecting one through the authorization code flow
 * with PKCE (the state bound to the user who started it and accepted once), and handing
 * out its access token, refreshed where the host expires it.
 */
export class AccountService {
  constructor(
    private readonly deps: {
      store: DatabaseAccountStore;
      discovery: DiscoveryService;
      /** The app's address, where the browser lands after the host answered. */
      appBaseUrl: string;
      /** Internal hosts users may connect (`devops.repositories.allowedHosts`). */
      allowedHosts: string[];
      /** The pipelines whose source an account reads, which keep it from logging out. */
      pipelinesUsing(
        accountId: string,
      ): Promise<Array<{ name: string; entityRef: string }>>;
      logger: LoggerService;
    },
  ) {}

  async registration(
    provider: CodeHostProvider,
  ): Promise<ApplicationRegistration> {
    return {
      homepageUrl: this.deps.appBaseUrl,
      callbackUrl: await this.#callbackUrl(provider),
      scopes: this.#provider(provider).scopes,
      defaultBaseUrl: DEFAULT_BASE_URLS[provider],
    };
  }

  list(userRef: string): Promise<CodeHostAccount[]> {
    return this.deps.store.listForUser(userRef);
  }

  /**
   * Saves the user's application and returns the host's page that asks them to
   * authorize it; the browser goes there and comes back to the callback.
   */
  async connect(
    userRef: string,
    provider: CodeHostProvider,
    request: ConnectRequest,
  ): Promise<{ authorizeUrl: string }> {
    const { clientId, clientSecret } = request;
    const baseUrl = request.baseUrl
      ? await checkHostUrl(request.baseUrl, this.deps.allowedHosts)
      : DEFAULT_BASE_URLS[provider];
    const account = await this.deps.store.saveApplication({
      userRef,
      provider,
      baseUrl,
      clientId,
      clientSecret,
    });
    await this.deps.store.pruneAuthorizations(new Date());
    const state = base64url(randomBytes(32));
    const codeVerifier = base64url(randomBytes(32));
    await this.deps.store.addAuthorization(sha256(state).toString('hex'), {
      accountId: account.id,
      userRef,
      codeVerifier,
      expiresAt: new Date(Date.now() + AUTHORIZATION_TTL_MS),
    });
    return {
      authorizeUrl: this.#provider(provider).authorizeUrl(
        { baseUrl, clientId, clientSecret },
        {
          redirectUri: await this.#callbackUrl(provider),
          state,
          codeChallenge: base64url(sha256(codeVerifier)),
        },
      ),
    };
  }

  /**
   * The callback: checks the state, exchanges the code and stores the tokens. Returns
   * where the browser goes next: the Repositories page, with the provider's reason when
   * the authorization failed or was refused.
   */
  async complete(
    provider: CodeHostProvider,
    answer: AuthorizationAnswer,
  ): Promise<string> {
    try {
      const login = await this.#complete(provider, answer);
      return this.#resultPage(provider, { connected: login });
    } catch (error) {
      if (!(error instanceof OAuthError)) throw error;
      // Not `error`: the Backstage app takes that parameter for a failed sign-in.
      return this.#resultPage(provider, { problem: error.reason });
    }
  }

  async #complete(provider: CodeHostProvider, answer: AuthorizationAnswer) {
    const host = this.#provider(provider);
    const name = CODE_HOST_NAMES[provider];
    if (!answer.state) {
      throw new OAuthError(
        `${name} came back without the state of an authorization; connect again`,
      );
    }
    const pending = await this.deps.store.takeAuthorization(
      sha256(answer.state).toString('hex'),
    );
    if (!pending || pending.expiresAt.getTime() < Date.now()) {
      throw new OAuthError(
        'This authorization was used already or has expired; connect again',
      );
    }
    const found = await this.deps.store.getWithSecrets(pending.accountId);
    if (!found || found.account.provider !== provider) {
      throw new OAuthError(
        'This authorization belongs to another account; connect again',
      );
    }
    if (answer.error || !answer.code) {
      throw new OAuthError(
        `${name} did not authorize the application: ${
          answer.error_description ?? answer.error ?? 'no code came back'
        }`,
      );
    }
    const { account, secrets } = found;
    const application = applicationOf(account, secrets);
    const tokens = await host.exchangeCode(application, {
      code: answer.code,
      codeVerifier: pending.codeVerifier,
      redirectUri: await this.#callbackUrl(provider),
    });
    const login = await host.login(application, tokens.accessToken);
    await this.deps.store.storeTokens(
      account.id,
      secrets.clientSecret,
      tokens,
      login,
    );
    this.deps.logger.info(
      `${pending.userRef} connected the ${name} account ${login} (${account.baseUrl})`,
    );
    return login;
  }

  /**
   * The account's access token, refreshed first when it expires within a minute. A
   * token the host no longer accepts is the user's to renew: the error says where.
   */
  async accessToken(accountId: string): Promise<string> {
    return (await this.#token(accountId)).token;
  }

  /** The account's token with where to use it, for calls to the host's API. */
  async access(accountId: string): Promise<AccountAccess> {
    const { account, token } = await this.#token(accountId);
    return {
      token,
      login: account.login ?? '',
      baseUrl: account.baseUrl,
      apiBaseUrl: this.#provider(account.provider).apiBaseUrl(account.baseUrl),
    };
  }

  /** The account, read once, with its access token refreshed where it is about to expire. */
  async #token(
    accountId: string,
  ): Promise<{ account: CodeHostAccount; token: string }> {
    const found = await this.deps.store.getWithSecrets(accountId);
    if (!found) throw new NotFoundError(`No code host account ${accountId}`);
    const { account, secrets } = found;
    if (!secrets.accessToken) throw this.#reconnect(account);
    const expiring =
      account.tokenExpiresAt &&
      account.tokenExpiresAt.getTime() - Date.now() < REFRESH_BEFORE_MS;
    if (!expiring) return { account, token: secrets.accessToken };
    if (!secrets.refreshToken) throw this.#reconnect(account);
    try {
      const tokens = await this.#provider(account.provider).refresh(
        applicationOf(account, secrets),
        {
          refreshToken: secrets.refreshToken,
          redirectUri: await this.#callbackUrl(account.provider),
        },
      );
      await this.deps.store.storeTokens(
        account.id,
        secrets.clientSecret,
        tokens,
      );
      return { account, token: tokens.accessToken };
    } catch (error) {
      if (error instanceof OAuthError)
        throw this.#reconnect(account, error.reason);
      throw error;
    }
  }

  /**
   * Forgets the user's account on a provider; refused while pipelines read their
   * source with it, since their runs would fail (SPEC §7).
   */
  async disconnect(userRef: string, provider: CodeHostProvider) {
    const name = CODE_HOST_NAMES[provider];
    const account = await this.deps.store.forUser(userRef, provider);
    if (!account) {
      throw new NotFoundError(`You have no ${name} account connected`);
    }
    const pipelines = await this.deps.pipelinesUsing(account.id);
    if (pipelines.length) {
      const listed = pipelines
        .map(p => `"${p.name}" (${p.entityRef})`)
        .join(', ');
      throw new ConflictError(
        `${pipelines.length} pipeline${
          pipelines.length === 1 ? ' reads its source' : 's read their source'
        } with your ${name} account: ${listed}; choose other credentials in their Source, then log out`,
      );
    }
    await this.deps.store.delete(account.id);
  }

  /**
   * Refuses a pipeline source naming an account the saving user may not use: only its
   * owner may point a source at it, since the runs read with their token. A source that
   * keeps the account and the repository it had may be saved by any editor.
   */
  async checkSourceAccount(
    userRef: string,
    source: PipelineSource | undefined,
    previous?: PipelineSource,
  ): Promise<void> {
    const accountId = source?.accountId;
    if (!source || !accountId) return;
    if (
      previous?.accountId === accountId &&
      previous.repository === source.repository
    ) {
      return;
    }
    const account = await this.deps.store.get(accountId);
    if (!account || account.userRef !== userRef) {
      throw new NotAllowedError(
        "The source names a code host account that is not yours: only an account's owner may have a pipeline read a repository with it; choose your own account or the portal's credentials in the Source",
      );
    }
    const name = CODE_HOST_NAMES[account.provider];
    if (source.provider !== account.provider) {
      throw new InputError(
        `The source is a ${source.provider} repository but the chosen account is on ${name}; choose credentials of that host in the Source`,
      );
    }
    const base = new URL(account.baseUrl);
    const { host } = parseRepositoryPath(source.repository);
    if (host !== base.host) {
      throw new InputError(
        `Your ${name} account is on ${base.host}, but the repository is on ${host}; choose credentials of that host in the Source`,
      );
    }
    // The token goes only where the account was connected, the way it was: never over
    // plain http to an https host, and not to an ssh URL, which cannot use it.
    if (!source.repository.startsWith(`${base.origin}/`)) {
      throw new InputError(
        `To be read with your ${name} account, the repository must be its ${base.protocol.replace(
          ':',
          '',
        )} clone URL on ${base.host} (${base.origin}/owner/repository.git)`,
      );
    }
  }

  #reconnect(account: CodeHostAccount, reason?: string) {
    const name = CODE_HOST_NAMES[account.provider];
    return new InputError(
      `The ${name} account${account.login ? ` ${account.login}` : ''} of ${
        account.userRef
      } has no valid token${
        reason ? ` (${reason})` : ''
      }: reconnect your ${name} account on the Repositories page`,
    );
  }

  #provider(provider: CodeHostProvider): OAuthProvider {
    return oauthProviders[provider];
  }

  async #callbackUrl(provider: CodeHostProvider) {
    const backend = await this.deps.discovery.getExternalBaseUrl('devops');
    return `${backend}/repositories/${provider}/redirect`;
  }

  #resultPage(provider: CodeHostProvider, outcome: Record<string, string>) {
    const query = new URLSearchParams({ provider, ...outcome });
    return `${this.deps.appBaseUrl}/devops/repositories?${query}`;
  }
}

function applicationOf(
  account: CodeHostAccount,
  secrets: AccountSecrets,
): OAuthApplication {
  return {
    baseUrl: account.baseUrl,
    clientId: account.clientId,
    clientSecret: secrets.clientSecret,
  };
}

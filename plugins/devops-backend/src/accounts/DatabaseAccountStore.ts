import type { CodeHostProvider } from '@devops-pipelines/plugin-devops-common';
import { Knex } from 'knex';
import { randomUUID } from 'crypto';
import { DbTime } from '../database/rows';
import { SecretBox } from '../secrets/SecretBox';
import type { AccountSecrets, AccountTokens, CodeHostAccount } from './types';

type RawAccountRow = {
  id: string;
  user_ref: string;
  provider: CodeHostProvider;
  base_url: string;
  client_id: string;
  secrets: string;
  login: string | null;
  token_expires_at: DbTime | null;
  created_at: DbTime;
  updated_at: DbTime;
};

type RawAuthorizationRow = {
  state: string;
  account_id: string;
  user_ref: string;
  code_verifier: string;
  expires_at: DbTime;
};

export type NewApplication = Pick<
  CodeHostAccount,
  'userRef' | 'provider' | 'baseUrl' | 'clientId'
> & { clientSecret: string };

/** An authorization sent to a code host, as its callback finds it. */
export type PendingAuthorization = {
  accountId: string;
  userRef: string;
  codeVerifier: string;
  expiresAt: Date;
};

/** The only code that reads and writes `code_host_accounts` and `oauth_authorizations`. */
export class DatabaseAccountStore {
  constructor(private readonly db: Knex, private readonly box: SecretBox) {}

  /**
   * Saves the OAuth application a user connects with: a new account, or the user's
   * account on that provider with its application replaced (its tokens stay until an
   * authorization with the new one comes back).
   */
  async saveApplication(application: NewApplication): Promise<CodeHostAccount> {
    const now = new Date();
    const existing = await this.#row(application.userRef, application.provider);
    const secrets: AccountSecrets = {
      ...(existing ? this.secretsOf(existing) : {}),
      clientSecret: application.clientSecret,
    };
    const columns = {
      base_url: application.baseUrl,
      client_id: application.clientId,
      secrets: this.#seal(secrets),
      updated_at: now,
    };
    if (existing) {
      await this.db('code_host_accounts')
        .where({ id: existing.id })
        .update(columns as any);
    } else {
      await this.db('code_host_accounts').insert({
        id: randomUUID(),
        user_ref: application.userRef,
        provider: application.provider,
        created_at: now,
        ...columns,
      } as any);
    }
    return toAccount(
      (await this.#row(application.userRef, application.provider))!,
    );
  }

  async get(id: string): Promise<CodeHostAccount | undefined> {
    const row = await this.db<RawAccountRow>('code_host_accounts')
      .where({ id })
      .first();
    return row ? toAccount(row) : undefined;
  }

  async forUser(userRef: string, provider: CodeHostProvider) {
    const row = await this.#row(userRef, provider);
    return row ? toAccount(row) : undefined;
  }

  async listForUser(userRef: string): Promise<CodeHostAccount[]> {
    const rows = await this.db<RawAccountRow>('code_host_accounts')
      .where({ user_ref: userRef })
      .orderBy('provider');
    return rows.map(toAccount);
  }

  /** An account with its secrets, in one read; throws when they were sealed with another key. */
  async getWithSecrets(
    id: string,
  ): Promise<
    { account: CodeHostAccount; secrets: AccountSecrets } | undefined
  > {
    const row = await this.db<RawAccountRow>('code_host_accounts')
      .where({ id })
      .first();
    return row
      ? { account: toAccount(row), secrets: this.secretsOf(row) }
      : undefined;
  }

  /**
   * Stores the tokens an authorization or a refresh gave, and who they belong to; the
   * application's secret, which the caller read with the account, is sealed with them.
   */
  async storeTokens(
    id: string,
    clientSecret: string,
    tokens: AccountTokens,
    login?: string,
  ) {
    const secrets: AccountSecrets = {
      clientSecret,
      accessToken: tokens.accessToken,
      ...(tokens.refreshToken ? { refreshToken: tokens.refreshToken } : {}),
    };
    await this.db('code_host_accounts')
      .where({ id })
      .update({
        secrets: this.#seal(secrets),
        token_expires_at: tokens.expiresAt ?? null,
        ...(login ? { login } : {}),
        updated_at: new Date(),
      } as any);
  }

  async delete(id: string) {
    await this.db('code_host_accounts').where({ id }).delete();
  }

  /** Remembers an authorization under the hash of its state, until it comes back or expires. */
  async addAuthorization(stateHash: string, pending: PendingAuthorization) {
    await this.db('oauth_authorizations').insert({
      state: stateHash,
      account_id: pending.accountId,
      user_ref: pending.userRef,
      code_verifier: this.#seal({ codeVerifier: pending.codeVerifier }),
      expires_at: pending.expiresAt,
    } as any);
  }

  /**
   * Takes the authorization of a state: it is removed in the same step, so a state is
   * accepted once however often (or in parallel) its callback is called.
   */
  async takeAuthorization(
    stateHash: string,
  ): Promise<PendingAuthorization | undefined> {
    return this.db.transaction(async tx => {
      const row = await tx<RawAuthorizationRow>('oauth_authorizations')
        .where({ state: stateHash })
        .first();
      if (!row) return undefined;
      const removed = await tx('oauth_authorizations')
        .where({ state: stateHash })
        .delete();
      if (removed !== 1) return undefined;
      return {
        accountId: row.account_id,
        userRef: row.user_ref,
        codeVerifier: this.box.open(row.code_verifier).codeVerifier,
        expiresAt: new Date(row.expires_at),
      };
    });
  }

  /** Forgets authorizations that never came back. */
  async pruneAuthorizations(now: Date): Promise<number> {
    return this.db('oauth_authorizations')
      .where('expires_at', '<', now)
      .delete();
  }

  private secretsOf(row: RawAccountRow): AccountSecrets {
    return this.box.open(row.secrets) as AccountSecrets;
  }

  #seal(values: Record<string, string | undefined>): string {
    const defined = Object.fromEntries(
      Object.entries(values).filter(
        (entry): entry is [string, string] => entry[1] !== undefined,
      ),
    );
    return this.box.seal(defined)!;
  }

  #row(userRef: string, provider: CodeHostProvider) {
    return this.db<RawAccountRow>('code_host_accounts')
      .where({ user_ref: userRef, provider })
      .first();
  }
}

function toAccount(row: RawAccountRow): CodeHostAccount {
  return {
    id: row.id,
    userRef: row.user_ref,
    provider: row.provider,
    baseUrl: row.base_url,
    clientId: row.client_id,
    login: row.login ?? undefined,
    tokenExpiresAt: row.token_expires_at
      ? new Date(row.token_expires_at)
      : undefined,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  };
}

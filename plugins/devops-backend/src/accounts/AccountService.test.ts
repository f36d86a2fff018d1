import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { applyMigrations } from '../database/migrate';
import { SecretBox } from '../secrets/SecretBox';
import { AccountService } from './AccountService';
import { DatabaseAccountStore } from './DatabaseAccountStore';
import { OAuthStandIn } from './__testUtils__/OAuthStandIn';

jest.setTimeout(60_000);

/* Handing out account tokens, against an OAuth STAND-IN for GitLab (see OAuthStandIn). */

const USER = 'user:default/alice';
const APP = { clientId: 'portal-app', clientSecret: 'portal-app-secret' };

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'AccountService on %s',
  databaseId => {
    let gitlab: OAuthStandIn;
    beforeAll(async () => {
      gitlab = await OAuthStandIn.start('gitlab', 'gitlab-user');
      gitlab.registerApplication(APP.clientId, APP.clientSecret);
    });
    afterAll(() => gitlab.stop());

    async function connectedAccount() {
      const db = await databases.init(databaseId);
      await applyMigrations(db);
      const store = new DatabaseAccountStore(db, new SecretBox('test-key'));
      const accounts = new AccountService({
        store,
        discovery: mockServices.discovery(),
        appBaseUrl: 'http://localhost:3000',
        allowedHosts: ['127.0.0.1'],
        pipelinesUsing: async () => [],
        logger: mockServices.logger.mock(),
      });
      const { authorizeUrl } = await accounts.connect(USER, 'gitlab', {
        ...APP,
        baseUrl: gitlab.baseUrl,
      });
      const back = new URL(
        (await fetch(authorizeUrl, { redirect: 'manual' })).headers.get(
          'location',
        )!,
      );
      await accounts.complete('gitlab', {
        state: back.searchParams.get('state')!,
        code: back.searchParams.get('code')!,
      });
      const account = (await store.forUser(USER, 'gitlab'))!;
      return { db, store, accounts, account };
    }

    it('hands out the token while it is valid, and refreshes it before it expires', async () => {
      const { db, accounts, account } = await connectedAccount();
      expect(account.tokenExpiresAt!.getTime()).toBeGreaterThan(
        Date.now() + 7_000_000,
      );

      const first = await accounts.accessToken(account.id);
      expect(await accounts.accessToken(account.id)).toBe(first);
      expect(gitlab.isValidToken(first)).toBe(true);

      // GitLab's tokens last two hours; this one is about to expire.
      await db('code_host_accounts')
        .where({ id: account.id })
        .update({ token_expires_at: new Date(Date.now() + 30_000) } as any);
      const refreshed = await accounts.accessToken(account.id);

      expect(refreshed).not.toBe(first);
      expect(gitlab.isValidToken(refreshed)).toBe(true);
      expect(gitlab.tokenRequests.slice(-1)[0]).toMatchObject({
        grant_type: 'refresh_token',
        client_id: APP.clientId,
      });
      expect(await accounts.accessToken(account.id)).toBe(refreshed);
    });

    it('asks the user to reconnect when the host no longer accepts the refresh token', async () => {
      const { db, accounts, account } = await connectedAccount();
      gitlab.revokeAll();
      await db('code_host_accounts')
        .where({ id: account.id })
        .update({ token_expires_at: new Date(Date.now() - 1_000) } as any);

      await expect(accounts.accessToken(account.id)).rejects.toThrow(
        'The GitLab account gitlab-user of user:default/alice has no valid token (The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client.): reconnect your GitLab account on the Repositories page',
      );
    });
  },
);

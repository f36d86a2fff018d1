import { TestDatabases, mockServices } from '@backstage/backend-test-utils';
import { DatabaseAccountStore } from '../accounts/DatabaseAccountStore';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { applyMigrations } from '../database/migrate';
import { pipelineDocument } from '../router/__testUtils__/devopsTestBackend';
import { resealSecrets } from './resealSecrets';
import { SecretBox } from './SecretBox';

jest.setTimeout(60_000);

const OLD_KEY = 'the key before the rotation';
const NEW_KEY = 'the key after the rotation';

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'rotating devops.encryptionKey on %s',
  databaseId => {
    it('seals what the old key sealed with the new one, so the old key can go', async () => {
      const db = await databases.init(databaseId);
      await applyMigrations(db);
      const before = new SecretBox(OLD_KEY);
      const pipeline = await new DatabasePipelineStore(db, before).create({
        document: pipelineDocument({
          name: 'rotated',
          parameters: [{ name: 'TOKEN', secret: true }],
        }),
        secrets: { TOKEN: 'pipeline-secret' },
        createdBy: 'user:default/alice',
      });
      const account = await new DatabaseAccountStore(
        db,
        before,
      ).saveApplication({
        userRef: 'user:default/alice',
        provider: 'gitlab',
        baseUrl: 'https://gitlab.com',
        clientId: 'app',
        clientSecret: 'client-secret',
      });

      const during = new SecretBox(NEW_KEY, [OLD_KEY]);
      // Read with the previous key until everything is sealed again.
      expect(
        (await new DatabasePipelineStore(db, during).get(pipeline.id))!.secrets,
      ).toEqual({ TOKEN: 'pipeline-secret' });
      const logger = mockServices.logger.mock();
      expect(await resealSecrets(db, during, logger)).toEqual({
        resealed: 2,
        unreadable: 0,
      });
      expect(await resealSecrets(db, during, logger)).toEqual({
        resealed: 0,
        unreadable: 0,
      });

      const after = new SecretBox(NEW_KEY);
      expect(
        (await new DatabasePipelineStore(db, after).get(pipeline.id))!.secrets,
      ).toEqual({ TOKEN: 'pipeline-secret' });
      expect(
        (await new DatabaseAccountStore(db, after).getWithSecrets(account.id))!
          .secrets,
      ).toEqual({ clientSecret: 'client-secret' });
      const { secrets } = await db('pipelines').first();
      expect(() => new SecretBox(OLD_KEY).open(secrets)).toThrow();
    });

    it('leaves values no configured key opens as they are, and counts them', async () => {
      const db = await databases.init(databaseId);
      await applyMigrations(db);
      const lost = new SecretBox('a key nobody kept');
      const account = await new DatabaseAccountStore(db, lost).saveApplication({
        userRef: 'user:default/bob',
        provider: 'github',
        baseUrl: 'https://github.com',
        clientId: 'app',
        clientSecret: 'gone',
      });
      const stored = (await db('code_host_accounts').first()).secrets;

      const result = await resealSecrets(
        db,
        new SecretBox(NEW_KEY, [OLD_KEY]),
        mockServices.logger.mock(),
      );

      expect(result).toEqual({ resealed: 0, unreadable: 1 });
      expect(
        (await db('code_host_accounts').where({ id: account.id }).first())
          .secrets,
      ).toBe(stored);
    });
  },
);

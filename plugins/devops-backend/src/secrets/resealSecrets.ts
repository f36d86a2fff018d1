import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Knex } from 'knex';
import type { SecretBox } from './SecretBox';

/** Every column that holds values sealed by the SecretBox, with its table's key. */
const SEALED_COLUMNS = [
  { table: 'pipelines', key: 'id', column: 'secrets' },
  { table: 'runs', key: 'id', column: 'secrets' },
  { table: 'code_host_accounts', key: 'id', column: 'secrets' },
  { table: 'oauth_authorizations', key: 'state', column: 'code_verifier' },
];

const BATCH_SIZE = 500;

/**
 * After `devops.encryptionKey` was rotated (the old one moved to
 * `devops.previousEncryptionKeys`): seals every value a previous key sealed with the
 * current one, so the previous keys can be dropped from the config. Values no key opens
 * are left as they are and counted; they stay unreadable, as before.
 */
export async function resealSecrets(
  db: Knex,
  secretBox: SecretBox,
  logger: LoggerService,
): Promise<{ resealed: number; unreadable: number }> {
  let resealed = 0;
  let unreadable = 0;
  for (const { table, key, column } of SEALED_COLUMNS) {
    let after = '';
    for (;;) {
      const rows: Array<Record<string, string>> = await db(table)
        .whereNotNull(column)
        .where(key, '>', after)
        .orderBy(key)
        .limit(BATCH_SIZE)
        .select(key, column);
      if (!rows.length) break;
      after = rows[rows.length - 1][key];
      for (const row of rows) {
        let sealed: string | null | undefined;
        try {
          sealed = secretBox.reseal(row[column]);
        } catch {
          unreadable += 1;
          continue;
        }
        if (sealed === undefined) continue;
        // Only if nobody wrote the row meanwhile: a newer value is sealed already.
        resealed += await db(table)
          .where({ [key]: row[key], [column]: row[column] })
          .update({ [column]: sealed });
      }
    }
  }
  logger.info(
    `Re-encrypted ${resealed} stored secrets with the current devops.encryptionKey${
      unreadable
        ? `; ${unreadable} were sealed with a key that is not configured and stay unreadable`
        : ''
    }; devops.previousEncryptionKeys can be removed once every replica runs with this key`,
  );
  return { resealed, unreadable };
}

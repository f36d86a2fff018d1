import { execFileSync } from 'child_process';
import knexFactory from 'knex';
import path from 'path';

const PG_ENV = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const ROOT = path.resolve(__dirname, '../../../../..');

/**
 * A PostgreSQL server for backend processes that share a database: the one the test
 * suites are given, else the repository's own throwaway server (scripts/postgres.sh,
 * started when it is not running), since replicas need a database that is not a file.
 */
export function postgresServer(): string {
  const given = process.env[PG_ENV];
  if (given) return given;
  const script = path.join(ROOT, 'scripts', 'postgres.sh');
  execFileSync(script, ['start'], { stdio: 'ignore' });
  return execFileSync(script, ['url'], { encoding: 'utf8' }).trim();
}

/** Drops the databases whose names start with `prefix` (each plugin's, per process group). */
export async function dropDatabases(server: string, prefix: string) {
  const admin = knexFactory({ client: 'pg', connection: server });
  try {
    const { rows } = await admin.raw(
      'SELECT datname FROM pg_database WHERE datname LIKE ?',
      [`${prefix}%`],
    );
    for (const { datname } of rows) {
      await admin.raw('DROP DATABASE IF EXISTS ?? WITH (FORCE)', [datname]);
    }
  } finally {
    await admin.destroy();
  }
}

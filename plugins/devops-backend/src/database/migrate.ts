import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@devops-pipelines/plugin-devops-backend',
  'migrations',
);

/** Brings the plugin's tables up to date unless the deployment manages migrations itself. */
export async function applyMigrations(
  client: Knex,
  database?: DatabaseService,
): Promise<void> {
  if (database?.migrations?.skip) return;
  await client.migrate.latest({ directory: migrationsDir });
}

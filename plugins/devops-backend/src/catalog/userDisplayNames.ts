import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** A user's name in words, from their entity ref; undefined where the catalog has none. */
export type UserDisplayName = (userRef: string) => Promise<string | undefined>;

/**
 * Reads a user's display name (`spec.profile.displayName`, else the entity's title) from
 * the catalog as the plugin itself. A run records it when it is queued, so its "Started
 * by" reads as people say it; a catalog that cannot answer leaves the ref's name, and
 * never stops the run.
 */
export function catalogUserDisplayNames(
  catalog: CatalogService,
  auth: AuthService,
  logger: LoggerService,
): UserDisplayName {
  return async userRef => {
    try {
      const entity = await catalog.getEntityByRef(userRef, {
        credentials: await auth.getOwnServiceCredentials(),
      });
      const displayName = entity?.spec?.profile as
        | { displayName?: unknown }
        | undefined;
      const name = displayName?.displayName ?? entity?.metadata.title;
      return typeof name === 'string' && name.trim() ? name.trim() : undefined;
    } catch (error) {
      logger.warn(`Could not read the display name of ${userRef}: ${error}`);
      return undefined;
    }
  };
}

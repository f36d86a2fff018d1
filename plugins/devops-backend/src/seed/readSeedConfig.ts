import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { JsonValue } from '@backstage/types';
import { normalizeRef } from '../catalog/entityOwners';

/** A folder of seed pipeline documents, with the creator recorded for its pipelines. */
export type SeedDirectory = {
  path: string;
  /** A full, lower-cased entity ref; unset: `devops.seed.createdBy`. */
  createdBy?: string;
};

/**
 * Reads `devops.seed.directories` (from the `devops` config): each entry is a folder's
 * path, or `{ path, createdBy }`. A mistake fails the backend's startup naming the entry:
 * a creator that matches no sign-in would leave the demo's pipelines to nobody.
 */
export function readSeedDirectories(devops?: Config): SeedDirectory[] {
  const key = 'devops.seed.directories';
  const entries = devops?.getOptional('seed.directories') ?? [];
  if (!Array.isArray(entries)) {
    throw new Error(`${key}: must be a list of folders`);
  }
  return entries.map((entry, index) => readEntry(entry, `${key}[${index}]`));
}

/** Reads `devops.seed.createdBy`, the creator of folders that name none. */
export function readSeedCreator(devops?: Config): string | undefined {
  const createdBy = devops?.getOptional('seed.createdBy');
  return createdBy === undefined
    ? undefined
    : creatorRef(createdBy, 'devops.seed.createdBy');
}

function readEntry(entry: JsonValue, where: string): SeedDirectory {
  if (typeof entry === 'string' && entry) return { path: entry };
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    throw new Error(
      `${where}: must be a folder's path or { path, createdBy }, not ${JSON.stringify(
        entry,
      )}`,
    );
  }
  const { path, createdBy, ...unknown } = entry;
  const extra = Object.keys(unknown);
  if (extra.length) {
    throw new Error(
      `${where}: unknown field ${extra.join(', ')} (known: path, createdBy)`,
    );
  }
  if (typeof path !== 'string' || !path) {
    throw new Error(`${where}.path: must be a folder's path`);
  }
  return createdBy === undefined
    ? { path }
    : { path, createdBy: creatorRef(createdBy, `${where}.createdBy`) };
}

/**
 * The creator as the permission policy compares it with a signed-in user's ref
 * (`user:default/nora`): completed and lower-cased, so `user:Nora` matches too.
 */
function creatorRef(value: JsonValue, where: string): string {
  // parseEntityRef's own message is about refs in general; this one says what is wanted.
  const invalid = new Error(
    `${where}: ${JSON.stringify(
      value,
    )} is not an entity ref such as user:default/nora`,
  );
  if (typeof value !== 'string') throw invalid;
  try {
    return normalizeRef(
      stringifyEntityRef(parseEntityRef(value, { defaultNamespace: 'default' })),
    );
  } catch {
    throw invalid;
  }
}

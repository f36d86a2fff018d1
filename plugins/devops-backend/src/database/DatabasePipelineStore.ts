import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  PipelineDocument,
  PipelineSpec,
} from '@devops-pipelines/plugin-devops-common';
import {
  PIPELINE_API_VERSION,
  PIPELINE_KIND,
} from '@devops-pipelines/plugin-devops-common';
import { Knex } from 'knex';
import { randomUUID } from 'crypto';
import { SecretBox } from '../secrets/SecretBox';
import { DbTime, toCount, toIso } from './rows';
import { ListPipelinesOptions, PipelineRecord } from './types';

type RawPipelineRow = {
  id: string;
  name: string;
  title: string | null;
  entity_ref: string;
  created_by: string;
  created_at: DbTime;
  updated_at: DbTime;
  active: boolean | number;
  spec: string;
  source_account_id: string | null;
  secrets: string | null;
  next_build_id: number;
  version: number;
};

/** What an update may change; every change bumps the version. */
export type PipelineChanges = {
  document?: PipelineDocument;
  secrets?: Record<string, string>;
  active?: boolean;
};

const isUniqueViolation = (error: unknown) =>
  /unique|duplicate/i.test(String((error as Error)?.message));

/**
 * Keeps an index of each pipeline's triggers in step with the pipeline, written in the
 * transaction that saves it (the triggers' store).
 */
export interface PipelineTriggerIndex {
  writeIndex(
    tx: Knex.Transaction,
    pipelineId: string,
    spec: PipelineSpec,
  ): Promise<void>;
}

/** The only code that reads and writes the `pipelines` table. */
export class DatabasePipelineStore {
  constructor(
    private readonly db: Knex,
    private readonly secretBox: SecretBox,
    private readonly triggerIndex?: PipelineTriggerIndex,
  ) {}

  async create(options: {
    document: PipelineDocument;
    secrets: Record<string, string>;
    createdBy: string;
    active?: boolean;
  }): Promise<PipelineRecord> {
    const now = new Date();
    const id = randomUUID();
    const { metadata, spec } = options.document;
    try {
      await this.db.transaction(async tx => {
        await tx<RawPipelineRow>('pipelines').insert({
          id,
          name: metadata.name,
          title: metadata.title ?? null,
          entity_ref: metadata.entityRef,
          created_by: options.createdBy,
          created_at: now,
          updated_at: now,
          active: options.active ?? true,
          spec: JSON.stringify(spec),
          source_account_id: spec.source?.accountId ?? null,
          secrets: this.secretBox.seal(options.secrets),
          next_build_id: 1,
          version: 1,
        } as any);
        await this.triggerIndex?.writeIndex(tx, id, spec);
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A pipeline named "${metadata.name}" already exists for ${metadata.entityRef}; choose another name`,
        );
      }
      throw error;
    }
    return (await this.get(id))!;
  }

  async get(id: string): Promise<PipelineRecord | undefined> {
    const row = await this.db<RawPipelineRow>('pipelines')
      .where({ id })
      .first();
    return row ? this.toRecord(row) : undefined;
  }

  /**
   * Several pipelines by id; ids that do not exist are missing from the map. In `tx` when
   * given, so a caller holding a transaction reads its own view (and, on SQLite, does not
   * wait for the connection it holds).
   */
  async getMany(
    ids: string[],
    tx?: Knex.Transaction,
  ): Promise<Map<string, PipelineRecord>> {
    const records = new Map<string, PipelineRecord>();
    const db = tx ?? this.db;
    for (let i = 0; i < ids.length; i += 500) {
      const rows = await db<RawPipelineRow>('pipelines').whereIn(
        'id',
        ids.slice(i, i + 500),
      );
      rows.forEach(row =>
        records.set(row.id, this.toRecord(row as RawPipelineRow)),
      );
    }
    return records;
  }

  async getOrThrow(id: string): Promise<PipelineRecord> {
    const record = await this.get(id);
    if (!record) throw new NotFoundError(`No pipeline with id ${id}`);
    return record;
  }

  async list(
    options: ListPipelinesOptions,
  ): Promise<{ items: PipelineRecord[]; totalCount: number }> {
    const query = this.db<RawPipelineRow>('pipelines').where(qb => {
      if (options.entityRef) qb.where('entity_ref', options.entityRef);
      if (options.search) {
        const pattern = `%${options.search
          .toLowerCase()
          .replace(/[%_\\]/g, c => `\\${c}`)}%`;
        qb.where(inner =>
          inner
            .whereRaw(`lower(name) like ? escape '\\'`, [pattern])
            .orWhereRaw(`lower(coalesce(title, '')) like ? escape '\\'`, [
              pattern,
            ]),
        );
      }
      if (options.filter) options.filter(qb);
    });
    const [countRow, rows] = await Promise.all([
      query.clone().count({ count: '*' }).first(),
      query
        .clone()
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
        .limit(options.limit)
        .offset(options.offset),
    ]);
    return {
      items: rows.map(row => this.toRecord(row as RawPipelineRow)),
      totalCount: toCount(countRow as any),
    };
  }

  async count(): Promise<number> {
    return toCount(
      (await this.db('pipelines').count({ count: '*' }).first()) as any,
    );
  }

  /**
   * Applies changes if the pipeline is still at `expectedVersion`; someone else's change
   * in between is a conflict the user resolves by reloading.
   */
  async update(
    id: string,
    expectedVersion: number,
    changes: PipelineChanges,
  ): Promise<PipelineRecord> {
    const values: Partial<RawPipelineRow> = {
      updated_at: new Date() as any,
      version: expectedVersion + 1,
    };
    if (changes.document) {
      values.name = changes.document.metadata.name;
      values.title = changes.document.metadata.title ?? null;
      values.entity_ref = changes.document.metadata.entityRef;
      values.spec = JSON.stringify(changes.document.spec);
      values.source_account_id =
        changes.document.spec.source?.accountId ?? null;
    }
    if (changes.secrets) values.secrets = this.secretBox.seal(changes.secrets);
    if (changes.active !== undefined) values.active = changes.active;
    let updated: number;
    try {
      updated = await this.db.transaction(async tx => {
        const count = await tx<RawPipelineRow>('pipelines')
          .where({ id, version: expectedVersion })
          .update(values);
        if (count && changes.document) {
          await this.triggerIndex?.writeIndex(tx, id, changes.document.spec);
        }
        return count;
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `A pipeline named "${values.name}" already exists for ${values.entity_ref}; choose another name`,
        );
      }
      throw error;
    }
    if (updated === 0) {
      const current = await this.getOrThrow(id);
      throw new ConflictError(
        `The pipeline was changed by someone else (it is at version ${current.version}, the change was made to version ${expectedVersion}); reload it and apply the change again`,
      );
    }
    return (await this.get(id))!;
  }

  /** The pipelines whose source is read with the code host account `accountId`. */
  async listUsingAccount(
    accountId: string,
  ): Promise<Array<{ id: string; name: string; entityRef: string }>> {
    const rows = await this.db<RawPipelineRow>('pipelines')
      .where({ source_account_id: accountId })
      .orderBy(['entity_ref', 'name'])
      .select('id', 'name', 'entity_ref');
    return rows.map(row => ({
      id: row.id,
      name: row.name,
      entityRef: row.entity_ref,
    }));
  }

  async delete(id: string): Promise<void> {
    const deleted = await this.db('pipelines').where({ id }).delete();
    if (!deleted) throw new NotFoundError(`No pipeline with id ${id}`);
  }

  private toRecord(row: RawPipelineRow): PipelineRecord {
    return {
      id: row.id,
      document: {
        apiVersion: PIPELINE_API_VERSION,
        kind: PIPELINE_KIND,
        metadata: {
          name: row.name,
          ...(row.title ? { title: row.title } : {}),
          entityRef: row.entity_ref,
        },
        spec: JSON.parse(row.spec) as PipelineSpec,
      },
      ...this.#openSecrets(row.secrets),
      active: Boolean(row.active),
      version: row.version,
      createdBy: row.created_by,
      createdAt: toIso(row.created_at)!,
      updatedAt: toIso(row.updated_at)!,
    };
  }

  #openSecrets(sealed: string | null) {
    const { values, unreadable } = this.secretBox.tryOpen(sealed);
    return {
      secrets: values,
      ...(unreadable ? { secretsUnreadable: true } : {}),
    };
  }
}

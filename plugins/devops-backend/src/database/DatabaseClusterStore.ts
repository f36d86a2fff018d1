import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import type { ClusterBinding, ClusterHealthState } from '../clusters/types';
import { DbTime, toCount, toIso } from './rows';

type RawClusterBindingRow = {
  name: string;
  namespace: string;
  scope: string;
  health: ClusterHealthState;
  health_message: string | null;
  checked_at: DbTime | null;
  created_by: string;
  created_at: DbTime;
};

export type NewClusterBinding = Pick<ClusterBinding, 'name' | 'namespace' | 'scope' | 'createdBy'> & {
  /** What the binding's own provisioning saw; the periodic check takes over from there. */
  health: ClusterHealthState;
  healthMessage?: string;
};

const isUniqueViolation = (error: unknown) =>
  /unique|duplicate/i.test(String((error as Error)?.message));

/** The only code that reads and writes the `cluster_bindings` table. */
export class DatabaseClusterStore {
  constructor(private readonly db: Knex) {}

  async create(binding: NewClusterBinding): Promise<ClusterBinding> {
    const now = new Date();
    try {
      await this.db<RawClusterBindingRow>('cluster_bindings').insert({
        name: binding.name,
        namespace: binding.namespace,
        scope: JSON.stringify(binding.scope),
        health: binding.health,
        health_message: binding.healthMessage ?? null,
        checked_at: now,
        created_by: binding.createdBy,
        created_at: now,
      } as any);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(
          `Cluster '${binding.name}' is already bound; unbind it first to bind it again`,
        );
      }
      throw error;
    }
    return (await this.get(binding.name))!;
  }

  async get(name: string): Promise<ClusterBinding | undefined> {
    const row = await this.db<RawClusterBindingRow>('cluster_bindings').where({ name }).first();
    return row ? toBinding(row) : undefined;
  }

  /** Every binding, oldest first: the order in which bindings are preferred for a pipeline. */
  async list(): Promise<ClusterBinding[]> {
    const rows = await this.db<RawClusterBindingRow>('cluster_bindings').orderBy([
      { column: 'created_at', order: 'asc' },
      { column: 'name', order: 'asc' },
    ]);
    return rows.map(toBinding);
  }

  async count(): Promise<number> {
    return toCount((await this.db('cluster_bindings').count({ count: '*' }).first()) as any);
  }

  /** Records what a check or a run saw; a binding deleted meanwhile is left deleted. */
  async setHealth(name: string, health: ClusterHealthState, message?: string): Promise<void> {
    await this.db<RawClusterBindingRow>('cluster_bindings')
      .where({ name })
      .update({ health, health_message: message ?? null, checked_at: new Date() as any });
  }

  async delete(name: string): Promise<void> {
    const deleted = await this.db('cluster_bindings').where({ name }).delete();
    if (!deleted) throw new NotFoundError(`Cluster '${name}' is not bound`);
  }
}

function toBinding(row: RawClusterBindingRow): ClusterBinding {
  return {
    name: row.name,
    namespace: row.namespace,
    scope: JSON.parse(row.scope) as string[],
    health: row.health,
    ...(row.health_message ? { healthMessage: row.health_message } : {}),
    ...(row.checked_at !== null ? { checkedAt: toIso(row.checked_at)! } : {}),
    createdBy: row.created_by,
    createdAt: toIso(row.created_at)!,
  };
}

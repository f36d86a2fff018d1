import { normalizeRef } from '../catalog/entityOwners';
import type { ClusterBinding } from './types';

/**
 * The binding a pipeline runs on, from `bindings` in the order they were bound: one
 * whose scope names an owner of the pipeline's entity before a portal-wide one, and a
 * usable one before one whose cluster was removed from the configuration, so a new
 * binding takes over from a removed one without editing pipelines (SPEC §8). Among
 * equals the oldest wins, so pipelines do not hop between clusters.
 */
export function chooseBinding(
  bindings: ClusterBinding[],
  ownerRefs: string[],
): ClusterBinding | undefined {
  const owners = new Set(ownerRefs.map(normalizeRef));
  const scoped = (b: ClusterBinding) => b.scope.some(group => owners.has(normalizeRef(group)));
  const portalWide = (b: ClusterBinding) => b.scope.length === 0;
  const usable = (b: ClusterBinding) => b.health !== 'removed';
  return (
    bindings.find(b => scoped(b) && usable(b)) ??
    bindings.find(b => portalWide(b) && usable(b)) ??
    bindings.find(scoped) ??
    bindings.find(portalWide)
  );
}

/** Whether any binding is scoped, i.e. whether choosing needs the entities' owners. */
export const hasScopedBindings = (bindings: ClusterBinding[]) =>
  bindings.some(b => b.scope.length > 0);

import { normalizeRef } from '../catalog/entityOwners';
import type { ClusterBinding } from './types';

/** The binding a pipeline runs on, and why: the run's log says both. */
export type BindingChoice = { binding: ClusterBinding; reason: string };

/** What decides among the bindings for one pipeline. */
type Candidates = {
  /** The scope group that owns the pipeline's entity, for a binding scoped to it. */
  ownerIn(binding: ClusterBinding): string | undefined;
  applies(binding: ClusterBinding): boolean;
};

const portalWide = (b: ClusterBinding) => b.scope.length === 0;
const usable = (b: ClusterBinding) => b.health !== 'removed';

function candidates(ownerRefs: string[]): Candidates {
  const owners = new Set(ownerRefs.map(normalizeRef));
  const ownerIn = (b: ClusterBinding) =>
    b.scope.find(group => owners.has(normalizeRef(group)));
  return { ownerIn, applies: b => portalWide(b) || ownerIn(b) !== undefined };
}

/**
 * The bindings that may run a pipeline whose entity has these owners: those scoped to an
 * owner and the portal-wide ones, in the order they were bound. Where there are several,
 * the pipeline's advanced settings may choose one (SPEC §1).
 */
export function applicableBindings(
  bindings: ClusterBinding[],
  ownerRefs: string[],
): ClusterBinding[] {
  return bindings.filter(candidates(ownerRefs).applies);
}

/**
 * The binding a pipeline runs on, from `bindings` in the order they were bound: the one
 * its advanced settings chose while that one still applies and is usable; else one whose
 * scope names an owner of the pipeline's entity before a portal-wide one, and a usable
 * one before one whose cluster was removed from the configuration, so a new binding
 * takes over from a removed one without editing pipelines (SPEC §8). Among equals the
 * oldest wins, so pipelines do not hop between clusters.
 */
export function explainBinding(
  bindings: ClusterBinding[],
  ownerRefs: string[],
  chosen?: string,
): BindingChoice | undefined {
  const { ownerIn, applies } = candidates(ownerRefs);
  if (chosen) {
    const picked = bindings.find(
      b => b.name === chosen && applies(b) && usable(b),
    );
    if (picked) {
      return {
        binding: picked,
        reason: "chosen in the pipeline's advanced settings",
      };
    }
  }
  const ruled = byRule(bindings, ownerIn, bindings.filter(applies).length);
  if (!ruled || !chosen) return ruled;
  return {
    binding: ruled.binding,
    reason: `${chosen}, chosen in the pipeline's advanced settings, no longer serves its project: ${ruled.reason}`,
  };
}

const REMOVED =
  ", though its cluster was removed from the portal's configuration";

function byRule(
  bindings: ClusterBinding[],
  ownerIn: Candidates['ownerIn'],
  applicable: number,
): BindingChoice | undefined {
  const scoped = (b: ClusterBinding) => ownerIn(b) !== undefined;
  const others =
    applicable > 1
      ? ` (the first bound of ${applicable} that serve it; the pipeline's advanced settings can choose another)`
      : '';
  const explain = (binding: ClusterBinding, removed = '') => ({
    binding,
    reason: `${
      scoped(binding)
        ? `bound for ${ownerIn(binding)}, which owns the pipeline's entity`
        : 'bound for the whole portal'
    }${removed}${others}`,
  });
  const found =
    bindings.find(b => scoped(b) && usable(b)) ??
    bindings.find(b => portalWide(b) && usable(b));
  if (found) return explain(found);
  const removed = bindings.find(scoped) ?? bindings.find(portalWide);
  return removed && explain(removed, REMOVED);
}

/** The binding a pipeline runs on ({@link explainBinding}), without the reason. */
export function chooseBinding(
  bindings: ClusterBinding[],
  ownerRefs: string[],
  chosen?: string,
): ClusterBinding | undefined {
  return explainBinding(bindings, ownerRefs, chosen)?.binding;
}

/** Whether any binding is scoped, i.e. whether choosing needs the entities' owners. */
export const hasScopedBindings = (bindings: ClusterBinding[]) =>
  bindings.some(b => b.scope.length > 0);

import {
  AuthorizeResult,
  type ConditionalPolicyDecision,
  type PermissionCriteria,
  type PolicyDecision,
} from '@backstage/plugin-permission-common';

type Cell =
  | 'allow'
  | 'deny'
  | { rule: string; params: unknown }
  | { anyOf: Cell[] }
  | { allOf: Cell[] }
  | { not: Cell };

/** A policy decision as a table cell: allow, deny, or its conditions without the types. */
export function asCell(decision: PolicyDecision): Cell {
  if (decision.result === AuthorizeResult.ALLOW) return 'allow';
  if (decision.result === AuthorizeResult.DENY) return 'deny';
  return criteria((decision as ConditionalPolicyDecision).conditions);
}

function criteria(
  value: PermissionCriteria<{ rule: string; params?: unknown }>,
): Cell {
  if ('anyOf' in value) return { anyOf: value.anyOf.map(criteria) };
  if ('allOf' in value) return { allOf: value.allOf.map(criteria) };
  if ('not' in value) return { not: criteria(value.not) };
  return { rule: value.rule, params: value.params };
}

import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import { normalizeRef } from '../catalog/entityOwners';

/** One `devops.deployTargets` entry: who may deploy where, besides their own binding. */
export type DeployTargetRule = {
  cluster: string;
  /** Namespace names, `*` matching any run of name characters; undefined: any namespace. */
  namespaces?: string[];
  /** Groups (lower-cased refs) whose entities, and those of groups nested in them, may deploy. */
  groups: string[];
  /** Catalog entities (lower-cased refs) that may deploy. */
  entities: string[];
};

/** A namespace name (RFC 1123 label) in which `*` may stand for any run of its characters. */
const NAMESPACE_PATTERN = /^[a-z0-9*]([-a-z0-9*]{0,61}[a-z0-9*])?$/;

/**
 * Reads `devops.deployTargets`. A mistake fails the backend's startup naming the entry,
 * rather than quietly allowing or refusing deploys.
 */
export function readDeployTargets(root: Config): DeployTargetRule[] {
  return (root.getOptionalConfigArray('devops.deployTargets') ?? []).map(
    (entry, index) => {
      const where = `devops.deployTargets[${index}]`;
      const refs = (key: string, defaultKind: string) =>
        (entry.getOptionalStringArray(key) ?? []).map(ref => {
          let parsed;
          try {
            parsed = parseEntityRef(ref, {
              defaultKind,
              defaultNamespace: 'default',
            });
          } catch (error) {
            throw new Error(`${where}.${key}: ${(error as Error).message}`);
          }
          if (
            key === 'groups' &&
            parsed.kind.toLocaleLowerCase('en-US') !== 'group'
          ) {
            throw new Error(
              `${where}.groups: "${ref}" is a ${parsed.kind}, not a group; list it under entities`,
            );
          }
          return normalizeRef(stringifyEntityRef(parsed));
        });
      const groups = refs('groups', 'group');
      const entities = refs('entities', 'component');
      if (groups.length === 0 && entities.length === 0) {
        throw new Error(
          `${where} names no groups and no entities: say whose pipelines may deploy to cluster '${entry.getString(
            'cluster',
          )}'`,
        );
      }
      const namespaces = entry.getOptionalStringArray('namespaces');
      for (const namespace of namespaces ?? []) {
        if (!NAMESPACE_PATTERN.test(namespace)) {
          throw new Error(
            `${where}.namespaces: "${namespace}" is not a namespace name (lower-case letters, digits and '-', '*' for any of them)`,
          );
        }
      }
      return {
        cluster: entry.getString('cluster'),
        namespaces,
        groups,
        entities,
      };
    },
  );
}

/** Whether the rule lets a pipeline deploy into `namespace`. */
export function allowsNamespace(
  rule: DeployTargetRule,
  namespace: string,
): boolean {
  if (!rule.namespaces) return true;
  // The patterns hold only name characters and '*' (checked above): nothing to escape.
  return rule.namespaces.some(pattern =>
    new RegExp(`^${pattern.split('*').join('[-a-z0-9]*')}$`).test(namespace),
  );
}

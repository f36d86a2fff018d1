import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { MAX_PREFIX_LENGTH } from './bindingNamespace';
import { NAMESPACE_NAME_PATTERN, NAMESPACE_NAME_RULE } from './bindRequest';

export type ClusterSettings = {
  /** A binding that names no namespace gets `<prefix>-<cluster name>`. */
  namespacePrefix: string;
  healthCheckFrequency: SchedulerServiceTaskScheduleDefinition['frequency'];
};

const FREQUENCY_KEY = 'devops.kubernetes.healthCheckFrequency';
const PREFIX_KEY = 'devops.kubernetes.namespacePrefix';

/** Reads `devops.kubernetes` with its defaults (documented in config.d.ts). */
export function readClusterSettings(root: Config): ClusterSettings {
  if (root.has('devops.kubernetes.namespace')) {
    // One namespace shared by every binding let two bindings on one cluster collide.
    throw new InputError(
      `devops.kubernetes.namespace is no longer read: each binding gets a namespace of its own, <${PREFIX_KEY}>-<cluster name>; set ${PREFIX_KEY} instead (bindings made before keep their namespace)`,
    );
  }
  const namespacePrefix = root.getOptionalString(PREFIX_KEY) ?? 'devops';
  if (
    !NAMESPACE_NAME_PATTERN.test(namespacePrefix) ||
    namespacePrefix.length > MAX_PREFIX_LENGTH
  ) {
    throw new InputError(
      `${PREFIX_KEY} "${namespacePrefix}" is not a namespace prefix: it ${NAMESPACE_NAME_RULE}, and at most ${MAX_PREFIX_LENGTH} long`,
    );
  }
  let healthCheckFrequency: ClusterSettings['healthCheckFrequency'] = { minutes: 1 };
  if (root.has(FREQUENCY_KEY)) {
    try {
      healthCheckFrequency = readDurationFromConfig(root, { key: FREQUENCY_KEY });
    } catch (error) {
      throw new InputError(
        `${FREQUENCY_KEY} is not a duration such as { minutes: 5 } or "PT5M": ${(error as Error).message}`,
      );
    }
  }
  return { namespacePrefix, healthCheckFrequency };
}

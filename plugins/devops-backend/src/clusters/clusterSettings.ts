import type { SchedulerServiceTaskScheduleDefinition } from '@backstage/backend-plugin-api';
import { Config, readDurationFromConfig } from '@backstage/config';
import { InputError } from '@backstage/errors';
import { NAMESPACE_NAME_PATTERN, NAMESPACE_NAME_RULE } from './bindRequest';

export type ClusterSettings = {
  /** The namespace a binding creates unless the request names one. */
  defaultNamespace: string;
  healthCheckFrequency: SchedulerServiceTaskScheduleDefinition['frequency'];
};

const FREQUENCY_KEY = 'devops.kubernetes.healthCheckFrequency';

/** Reads `devops.kubernetes` with its defaults (documented in config.d.ts). */
export function readClusterSettings(root: Config): ClusterSettings {
  const defaultNamespace =
    root.getOptionalString('devops.kubernetes.namespace') ?? 'devops-pipelines';
  if (!NAMESPACE_NAME_PATTERN.test(defaultNamespace)) {
    throw new InputError(
      `devops.kubernetes.namespace "${defaultNamespace}" is not a Kubernetes namespace name: it ${NAMESPACE_NAME_RULE}`,
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
  return { defaultNamespace, healthCheckFrequency };
}

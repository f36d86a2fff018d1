import { InputError } from '@backstage/errors';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';

/**
 * Takes secret values out of a spec, so that the spec can be stored, snapshotted and
 * returned as it is while the values are kept encrypted apart.
 */
export function separateSecrets(
  spec: PipelineSpec,
  stored: Record<string, string> = {},
): { spec: PipelineSpec; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const parameters = spec.parameters?.map(param => {
    if (!param.secret) return param;
    // A secret left without a value keeps the one stored: the API never sends it back.
    const value = param.value ?? stored[param.name];
    if (value === undefined) {
      throw new InputError(
        `spec.parameters: secret parameter "${param.name}" needs a value`,
      );
    }
    secrets[param.name] = value;
    const { value: _dropped, ...rest } = param;
    return rest;
  });
  return {
    spec: parameters ? { ...spec, parameters } : spec,
    secrets,
  };
}

/** Static parameters as variables, secret ones included. */
export function parameterValues(
  spec: PipelineSpec,
  secrets: Record<string, string>,
): Record<string, string> {
  return Object.fromEntries(
    (spec.parameters ?? []).map(p => [p.name, p.secret ? secrets[p.name] ?? '' : p.value ?? '']),
  );
}

import { InputError } from '@backstage/errors';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';

/**
 * Takes secret values out of a spec, so that the spec can be stored, snapshotted and
 * returned as it is while the values are kept encrypted apart.
 */
export function separateSecrets(
  spec: PipelineSpec,
  stored: Record<string, string> = {},
  options: {
    /**
     * Accept secrets without a value (an imported export, which never holds them); such
     * a pipeline cannot run until they are set, see `secretsWithoutValue`.
     */
    allowMissing?: boolean;
  } = {},
): { spec: PipelineSpec; secrets: Record<string, string> } {
  const secrets: Record<string, string> = {};
  const parameters = spec.parameters?.map((param, index) => {
    if (!param.secret) return param;
    // A secret left without a value keeps the one stored: the API never sends it back.
    const value = param.value ?? stored[param.name];
    if (value === undefined && !options.allowMissing) {
      throw new InputError(
        `spec.parameters[${index}].value: secret parameter "${param.name}" needs a value`,
      );
    }
    if (value !== undefined) secrets[param.name] = value;
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

/** Names of the secret parameters, for what may name them but not show them. */
export function secretParameterNames(spec: PipelineSpec): string[] {
  return (spec.parameters ?? []).filter(p => p.secret).map(p => p.name);
}

/** Names of the secret parameters that have no value yet (after an import). */
export function secretsWithoutValue(
  spec: PipelineSpec,
  secrets: Record<string, string>,
): string[] {
  return (spec.parameters ?? [])
    .filter(p => p.secret && secrets[p.name] === undefined)
    .map(p => p.name);
}

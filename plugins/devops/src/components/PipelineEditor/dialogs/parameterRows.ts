import {
  isBuiltInVariable,
  parameterSchema,
  type PipelineParameter,
} from '@devops-pipelines/plugin-devops-common';

/** A static parameter as the dialog edits it. */
export type ParameterRow = { name: string; value: string; secret: boolean };

export type ParameterErrors = Record<
  number,
  Partial<Record<'name' | 'value', string>>
>;

export const rowOfParameter = (param: PipelineParameter): ParameterRow => ({
  name: param.name,
  value: param.value ?? '',
  secret: Boolean(param.secret),
});

/** An empty secret goes without a value: on update, the backend keeps the stored one. */
export function parameterOfRow(row: ParameterRow): PipelineParameter {
  const name = row.name.trim();
  if (!row.secret) return { name, value: row.value };
  return row.value
    ? { name, value: row.value, secret: true }
    : { name, secret: true };
}

/**
 * Each row checked with the shared parameter schema, plus what the pipeline schema
 * checks across rows (built-in names, duplicates). A new pipeline has no stored secret
 * to keep, so there a secret needs its value.
 */
export function validateParameterRows(
  rows: readonly ParameterRow[],
  options: { creating: boolean },
): { parameters?: PipelineParameter[]; errors: ParameterErrors } {
  const errors: ParameterErrors = {};
  const add = (index: number, field: 'name' | 'value', message: string) => {
    errors[index] = { [field]: message, ...errors[index] };
  };
  const parameters = rows.map(parameterOfRow);
  const seen = new Set<string>();
  parameters.forEach((param, index) => {
    const result = parameterSchema.safeParse(param);
    for (const issue of result.success ? [] : result.error.issues) {
      add(index, issue.path[0] === 'value' ? 'value' : 'name', issue.message);
    }
    if (isBuiltInVariable(param.name)) {
      add(
        index,
        'name',
        `"${param.name}" is a built-in variable; choose another name`,
      );
    } else if (seen.has(param.name)) {
      add(index, 'name', `"${param.name}" is defined twice`);
    }
    seen.add(param.name);
    if (options.creating && param.secret && !param.value) {
      add(index, 'value', 'a new pipeline needs the value of each secret');
    }
  });
  return Object.keys(errors).length ? { errors } : { parameters, errors };
}

/** `${NAME}` references, as the pipeline document writes them. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** @public */
export type Variables = Readonly<Record<string, string>>;

/** A task field referred to a variable nobody defined. */
export class UnknownVariableError extends Error {
  readonly names: string[];
  constructor(names: string[], where: string) {
    super(
      `${where} refers to undefined variable${
        names.length > 1 ? 's' : ''
      } ${names
        .map(n => `\${${n}}`)
        .join(
          ', ',
        )}; define it as a pipeline parameter, pass it with the run, or write it to $DEVOPS_OUTPUT in an earlier task`,
    );
    this.name = 'UnknownVariableError';
    this.names = names;
  }
}

/**
 * Whether a variable is defined. Only own properties count: `${constructor}` or
 * `${__proto__}` must not find what every object inherits.
 */
const isDefined = (vars: Variables, name: string) =>
  Object.prototype.hasOwnProperty.call(vars, name);

/** Names referenced in a text, in order of first appearance. */
export function referencedVariables(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(REFERENCE), m => m[1]))];
}

/**
 * Expands task fields (tags, versions, paths). An unknown name fails, naming the variable,
 * because an empty image tag or path would fail later and far less clearly.
 */
export function expandStrict(
  text: string,
  vars: Variables,
  where: string,
): string {
  const unknown = referencedVariables(text).filter(
    name => !isDefined(vars, name),
  );
  if (unknown.length) throw new UnknownVariableError(unknown, where);
  return text.replace(REFERENCE, (_, name: string) => vars[name]);
}

/**
 * Expands repository files (YAML manifests, values.yaml): those may hold `${...}` meant for
 * other tools, so unknown names stay as written and are reported for the log.
 */
export function expandKnown(
  text: string,
  vars: Variables,
): { text: string; unknown: string[] } {
  const unknown = new Set<string>();
  const expanded = text.replace(REFERENCE, (whole, name: string) => {
    if (isDefined(vars, name)) return vars[name];
    unknown.add(name);
    return whole;
  });
  return { text: expanded, unknown: [...unknown] };
}

/**
 * Expands every string field of a task, nested ones included (`env[0].value`, the
 * `values` of a chart), leaving its script for the shell. An unknown variable fails with
 * an {@link UnknownVariableError} naming the field, e.g. `task field "env[0].value"`.
 */
export function expandTaskFields<T extends Record<string, unknown>>(
  task: T,
  vars: Variables,
  keep: readonly string[] = ['script'],
): T {
  const expandValue = (value: unknown, path: string): unknown => {
    if (typeof value === 'string')
      return expandStrict(value, vars, `task field "${path}"`);
    if (Array.isArray(value))
      return value.map((v, i) => expandValue(v, `${path}[${i}]`));
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([k, v]) => [
          k,
          expandValue(v, `${path}.${k}`),
        ]),
      );
    }
    return value;
  };
  return Object.fromEntries(
    Object.entries(task).map(([key, value]) =>
      keep.includes(key) ? [key, value] : [key, expandValue(value, key)],
    ),
  ) as T;
}

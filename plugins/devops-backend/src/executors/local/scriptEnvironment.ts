/**
 * What a script inherits from the backend's own environment: enough to find tools and
 * a home folder, and nothing else, since the backend's environment holds its database
 * password and other secrets.
 */
const INHERITED_VARIABLES = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LC_ALL',
  'TZ',
  'TMPDIR',
];

/**
 * The environment of a script: the inherited basics, `CI=true` (a default a pipeline
 * may override), the run's variables, then the task's own `env` entries, and last
 * `DEVOPS_OUTPUT`, which only the executor may set.
 */
export function scriptEnvironment(options: {
  variables: Record<string, string>;
  /** The task's own variables, which go over the run's. */
  taskEnv: Record<string, string>;
  outputFile: string;
}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  env.CI = 'true';
  Object.assign(env, options.variables);
  Object.assign(env, options.taskEnv);
  env.DEVOPS_OUTPUT = options.outputFile;
  return env;
}

import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
import type { MountedSecret, TaskToolSettings } from './types';

export type ChartRepository = NonNullable<TaskToolSettings['chartRepository']>;

/** Where the chart repository's credentials are mounted in the helm container. */
export const CHART_CREDENTIALS_DIR = '/devops/chart-repository';

/** The configured chart repository, or a failure saying who sets it up where. */
export function requireChartRepository(
  tools: TaskToolSettings,
  purpose: string,
): ChartRepository {
  if (!tools.chartRepository) {
    throw new TaskPlanError(
      `No chart repository is configured for DevOps, so there is nowhere to ${purpose}; ask the portal admin to set devops.chartRepository (type, url, credentialsSecret) in app-config.yaml`,
    );
  }
  return tools.chartRepository;
}

/**
 * The repository's credentials: a kubernetes.io/basic-auth Secret (keys `username` and
 * `password`), the one shape that serves both ChartMuseum's basic auth and
 * `helm registry login` for OCI.
 */
export function chartCredentialsMount(
  repository: ChartRepository,
): MountedSecret[] | undefined {
  if (!repository.credentialsSecret) return undefined;
  return [
    {
      secretName: repository.credentialsSecret,
      mountPath: CHART_CREDENTIALS_DIR,
      items: [
        { key: 'username', path: 'username' },
        { key: 'password', path: 'password' },
      ],
    },
  ];
}

/**
 * Shell functions both chart scripts use. The password goes to helm on stdin and the
 * script never prints it.
 */
export const CHART_REPOSITORY_SHELL_FUNCTIONS = `
credentials_dir=${CHART_CREDENTIALS_DIR}
have_credentials() { [ -f "$credentials_dir/username" ]; }
oci_login() {
  have_credentials || return 0
  registry_host=\${1#oci://}
  registry_host=\${registry_host%%/*}
  helm registry login "$registry_host" --username "$(cat "$credentials_dir/username")" --password-stdin < "$credentials_dir/password"
}
`;

import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type { TaskToolSettings } from './types';

/** Public images that work out of the box; air-gapped portals point these at a mirror. */
export const DEFAULT_TASK_IMAGES: TaskToolSettings['images'] = {
  git: 'alpine/git:2.47.2',
  kaniko: 'gcr.io/kaniko-project/executor:v1.23.2',
  helm: 'alpine/helm:3.16.4',
};

const CHART_REPOSITORY_TYPES = ['oci', 'chartmuseum'] as const;

/**
 * Reads the images, registry and chart repository the task types use from
 * `devops.kubernetes.images`, `devops.registry` and `devops.chartRepository`. Mistakes
 * that would only show up inside a task pod much later fail here, at startup.
 */
export function readTaskToolSettings(config: Config): TaskToolSettings {
  const images = config.getOptionalConfig('devops.kubernetes.images');
  return {
    images: {
      git: images?.getOptionalString('git') ?? DEFAULT_TASK_IMAGES.git,
      kaniko: images?.getOptionalString('kaniko') ?? DEFAULT_TASK_IMAGES.kaniko,
      helm: images?.getOptionalString('helm') ?? DEFAULT_TASK_IMAGES.helm,
    },
    registry: readRegistry(config.getOptionalConfig('devops.registry')),
    chartRepository: readChartRepository(
      config.getOptionalConfig('devops.chartRepository'),
    ),
  };
}

function readRegistry(config: Config | undefined) {
  if (!config) return undefined;
  const host = config.getString('host').replace(/\/+$/, '');
  // kaniko takes `<host>/<path>:<tag>`; a scheme would make every push fail.
  if (host.includes('://') || host.includes('/')) {
    throw new InputError(
      `devops.registry.host must be a host name with an optional port, like hub.example.com or registry.local:5000; got "${host}"`,
    );
  }
  return {
    host,
    credentialsSecret: config.getOptionalString('credentialsSecret'),
    insecure: config.getOptionalBoolean('insecure') ?? false,
  };
}

function readChartRepository(config: Config | undefined) {
  if (!config) return undefined;
  const type = config.getString('type');
  if (!isChartRepositoryType(type)) {
    throw new InputError(
      `devops.chartRepository.type must be one of ${CHART_REPOSITORY_TYPES.join(
        ', ',
      )}; got "${type}"`,
    );
  }
  const url = config.getString('url').replace(/\/+$/, '');
  const credentialsSecret = config.getOptionalString('credentialsSecret');
  if (type === 'chartmuseum') {
    if (!/^https?:\/\/[^/]/.test(url)) {
      throw new InputError(
        `devops.chartRepository.url of a ChartMuseum must be an http(s) URL, like https://charts.example.com; got "${url}"`,
      );
    }
    return { type, url, credentialsSecret };
  }
  // Helm addresses OCI repositories as oci://<host>/<path>; accept the bare form too.
  const bare = url.replace(/^oci:\/\//, '');
  if (!bare || bare.includes('://')) {
    throw new InputError(
      `devops.chartRepository.url of an OCI repository must look like oci://registry.example.com/charts; got "${url}"`,
    );
  }
  return { type, url: `oci://${bare}`, credentialsSecret };
}

function isChartRepositoryType(
  type: string,
): type is (typeof CHART_REPOSITORY_TYPES)[number] {
  return (CHART_REPOSITORY_TYPES as readonly string[]).includes(type);
}

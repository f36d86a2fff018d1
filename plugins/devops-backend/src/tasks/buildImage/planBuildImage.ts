import { type TaskPlanner, WORKSPACE_SOURCE_DIR } from '../types';
import { sourcePath } from '../sourcePath';
import { TaskPlanError } from '@devops-pipelines/plugin-devops-node';
import { imageReference } from './imageReference';

/** Where kaniko looks for registry credentials (a Docker config.json). */
const KANIKO_DOCKER_CONFIG_DIR = '/kaniko/.docker';

/**
 * Build and push image: kaniko builds the Dockerfile with the checked-out source as its
 * context, without a Docker daemon, and pushes to `<registry>/<workspace>/<image>:<tag>`.
 */
export const planBuildImage: TaskPlanner = async ({ task, tools }) => {
  if (task.type !== 'buildImage') {
    throw new Error(`planBuildImage cannot plan a ${task.type} task`);
  }
  const { registry } = tools;
  if (!registry) {
    throw new TaskPlanError(
      'No image registry is configured for DevOps, so there is nowhere to push the image; ask the portal admin to set devops.registry.host (and devops.registry.credentialsSecret) in app-config.yaml',
    );
  }
  const destination = imageReference(registry.host, task);
  // Arguments go to kaniko as a list, no shell in between: names with spaces or quotes
  // reach it as written.
  const args = [
    `--dockerfile=${sourcePath(task.dockerfile, 'dockerfile')}`,
    `--context=dir://${WORKSPACE_SOURCE_DIR}`,
    `--destination=${destination}`,
  ];
  if (registry.insecure) {
    // Scoped to our registry: base images still come over verified TLS.
    args.push(
      `--insecure-registry=${registry.host}`,
      `--skip-tls-verify-registry=${registry.host}`,
    );
  }
  return {
    kind: 'pod',
    container: {
      image: tools.images.kaniko,
      command: ['/kaniko/executor'],
      args,
      workingDir: WORKSPACE_SOURCE_DIR,
    },
    mountedSecrets: registry.credentialsSecret
      ? [
          {
            secretName: registry.credentialsSecret,
            mountPath: KANIKO_DOCKER_CONFIG_DIR,
            // A kubernetes.io/dockerconfigjson Secret keeps the file under this key.
            items: [{ key: '.dockerconfigjson', path: 'config.json' }],
          },
        ]
      : undefined,
  };
};

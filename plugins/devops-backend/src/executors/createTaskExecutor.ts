import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { pipelineBindingKey } from '../clusters/pipelineBindingKey';
import type { ClusterDirectory } from '../clusters/types';
import type { SourceCredentialsLookup } from '../scm/gitCredentials';
import { readDevopsConfig } from '../config';
import { DeployTargetGuard } from '../deployTargets/DeployTargetGuard';
import type { DeployTargets } from '../deployTargets/DeployTargets';
import type { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import { taskPlanners } from '../tasks';
import { readTaskToolSettings } from '../tasks/config';
import { ExecutorRouter } from './ExecutorRouter';
import { readKubernetesExecutorSettings } from './kubernetes/config';
import { KubernetesExecutor } from './kubernetes/KubernetesExecutor';
import { LocalExecutor } from './local';
import type { TaskExecutor } from './types';

/**
 * The executor the run engine uses: routes each run to the Kubernetes executor of its
 * pipeline's bound cluster or to the local executor, per `devops.executor.type`, each
 * deploy task's target checked as it starts. Configuration mistakes fail here, at startup.
 */
export function createTaskExecutor(options: {
  config: Config;
  logger: LoggerService;
  clusters: ClusterDirectory;
  pipelines: DatabasePipelineStore;
  runs: DatabaseRunStore;
  /** The credentials each run reads its repository with (accounts, integrations). */
  sourceCredentials: SourceCredentialsLookup;
  deployTargets: DeployTargets;
}): TaskExecutor {
  const { config, logger, clusters, pipelines, runs, sourceCredentials } =
    options;
  const bindingKeyOf = async (id: string) => {
    const pipeline = await pipelines.get(id);
    return pipeline && pipelineBindingKey(pipeline);
  };
  const settings = readKubernetesExecutorSettings(config);
  const tools = readTaskToolSettings(config);
  const localSettings = readDevopsConfig(config).localExecutor;
  let local: TaskExecutor | undefined;
  if (localSettings) {
    logger.warn(
      "The local executor is enabled: pipeline scripts run as child processes with the backend's own user and rights. Use it for development only.",
    );
    local = new LocalExecutor({
      workspaceRoot: localSettings.workspaceDir,
      allowFileUrls: localSettings.allowFileUrls,
      sourceCredentials,
      logger,
    });
  }
  const router = new ExecutorRouter({
    type: settings.executorType,
    local,
    clusters,
    runs,
    pipelineBindingKey: bindingKeyOf,
    kubernetes: target =>
      new KubernetesExecutor({
        target,
        clusters,
        planners: taskPlanners,
        tools,
        podRetention: settings.podRetention,
        imagePullTimeoutMs: settings.imagePullTimeoutMs,
        taskResources: settings.taskResources,
        allowFileUrls: localSettings?.allowFileUrls ?? false,
        sourceCredentials,
        logger,
      }),
  });
  return new DeployTargetGuard(
    router,
    options.deployTargets,
    bindingKeyOf,
  );
}

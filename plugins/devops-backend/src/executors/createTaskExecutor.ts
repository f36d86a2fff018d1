import type { LoggerService } from '@backstage/backend-plugin-api';
import type { DevopsExecutor } from '@devops-pipelines/plugin-devops-node';
import type { Config } from '@backstage/config';
import { pipelineBindingKey } from '../clusters/pipelineBindingKey';
import type { ClusterDirectory } from '../clusters/types';
import type { SourceCredentialsLookup } from '../scm/gitCredentials';
import { readDevopsConfig } from '../config';
import { DeployTargetGuard } from '../deployTargets/DeployTargetGuard';
import type { DeployTargets } from '../deployTargets/DeployTargets';
import type { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import type { DatabaseRunStore } from '../database/DatabaseRunStore';
import { readTaskToolSettings } from '../tasks/config';
import { ExecutorRouter } from './ExecutorRouter';
import {
  EXECUTOR_TYPES,
  readKubernetesExecutorSettings,
} from './kubernetes/config';
import { KubernetesExecutor } from './kubernetes/KubernetesExecutor';
import { LocalExecutor } from './local';
import type { TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry';
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
  taskTypes: TaskTypeRegistry;
  /** Executors modules added (devopsExecutorsExtensionPoint). */
  moduleExecutors: DevopsExecutor[];
}): TaskExecutor {
  const {
    config,
    logger,
    clusters,
    pipelines,
    runs,
    sourceCredentials,
    taskTypes,
  } = options;
  const bindingKeyOf = async (id: string) => {
    const pipeline = await pipelines.get(id);
    return pipeline && pipelineBindingKey(pipeline);
  };
  const moduleExecutors = moduleExecutorsByName(options.moduleExecutors);
  const settings = readKubernetesExecutorSettings(config, [
    ...moduleExecutors.keys(),
  ]);
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
      taskTypes,
      sourceCredentials,
      logger,
    });
  }
  const router = new ExecutorRouter({
    type: settings.executorType,
    local,
    moduleExecutors,
    clusters,
    runs,
    pipelineBindingKey: bindingKeyOf,
    kubernetes: target =>
      new KubernetesExecutor({
        target,
        clusters,
        taskTypes,
        tools,
        podRetention: settings.podRetention,
        imagePullTimeoutMs: settings.imagePullTimeoutMs,
        taskResources: settings.taskResources,
        allowFileUrls: localSettings?.allowFileUrls ?? false,
        sourceCredentials,
        logger,
      }),
  });
  return new DeployTargetGuard(router, options.deployTargets, bindingKeyOf);
}

/** Module executors by name; names that would shadow a built-in one, or clash, fail startup. */
function moduleExecutorsByName(
  executors: DevopsExecutor[],
): Map<string, TaskExecutor> {
  const byName = new Map<string, TaskExecutor>();
  for (const { name, executor } of executors) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(name)) {
      throw new Error(
        `A backend module added the executor "${name}": executor names are lowercase letters, digits and dashes`,
      );
    }
    if (
      (EXECUTOR_TYPES as readonly string[]).includes(name) ||
      byName.has(name)
    ) {
      throw new Error(
        `A backend module added the executor "${name}", a name already taken; each executor needs its own`,
      );
    }
    byName.set(name, executor);
  }
  return byName;
}

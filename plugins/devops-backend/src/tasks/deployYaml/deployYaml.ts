import { expandKnown, type Task } from '@devops-pipelines/plugin-devops-common';
import type { TaskResult } from '../../executors/types';
import type { BackendTaskContext } from '../types';
import { ensureNamespace } from '../ensureNamespace';
import { ManifestApplier, objectRef } from './ManifestApplier';
import { type Manifest, parseManifests } from './parseManifests';

type DeployYamlTask = Extract<Task, { type: 'deployYaml' }>;

/**
 * Deploy YAML, done by the backend: reads the file at the run's commit, expands the
 * run's variables in it (others stay as written), and server-side applies every
 * document to the task's cluster and namespace, logging each object's result as
 * kubectl would. The first failure ends the task with the API server's message.
 */
export async function deployYaml(
  task: DeployYamlTask,
  env: Record<string, string>,
  ctx: BackendTaskContext,
): Promise<TaskResult> {
  const { log, signal } = ctx;
  let text: string;
  try {
    text = await ctx.readSourceFile(task.file);
  } catch (error) {
    return failed(
      `Could not read ${
        task.file
      } from the repository at the run's commit: ${errorMessage(error)}`,
    );
  }

  const expanded = expandKnown(text, env);
  if (expanded.unknown.length) {
    log.platform(
      'Warning',
      `Left as written in ${
        task.file
      }, as they are not pipeline variables: ${expanded.unknown
        .map(name => `\${${name}}`)
        .join(', ')}`,
    );
  }

  let manifests: Manifest[];
  try {
    manifests = parseManifests(expanded.text, task.file);
  } catch (error) {
    return failed(errorMessage(error));
  }
  if (!manifests.length) {
    return failed(`${task.file} holds no Kubernetes objects to apply`);
  }

  const where = `namespace ${task.namespace} of cluster ${task.cluster}`;
  let applied = 0;
  let current: Manifest | undefined;
  try {
    const kubeConfig = await ctx.kubeConfig(task.cluster);
    const applier = new ManifestApplier(kubeConfig, task.cluster, signal);
    const namespace = await ensureNamespace({
      kubeConfig,
      clusterName: task.cluster,
      namespace: task.namespace,
      create: task.createNamespace ?? false,
      signal,
    });
    if (namespace === 'created') {
      log.output(`namespace/${task.namespace} created\n`);
    }
    log.platform(
      'Normal',
      `Applying ${manifests.length} object${
        manifests.length > 1 ? 's' : ''
      } from ${task.file} to ${where}`,
    );
    for (current of manifests) {
      if (signal.aborted) break;
      const result = await applier.apply(current, task.namespace);
      log.output(`${objectRef(current.object)} ${result}\n`);
      applied++;
    }
  } catch (error) {
    if (!signal.aborted) {
      return failed(
        current
          ? `${objectRef(current.object)} (document ${current.document} of ${
              task.file
            }) was not applied: ${errorMessage(error)}`
          : errorMessage(error),
      );
    }
  }
  if (signal.aborted) {
    return failed(
      `Stopped after applying ${applied} of ${manifests.length} objects to ${where}`,
    );
  }
  return { status: 'succeeded' };
}

function failed(message: string): TaskResult {
  return { status: 'failed', message };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

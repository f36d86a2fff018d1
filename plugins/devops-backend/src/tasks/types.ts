import type { KubeConfig, V1Container } from '@kubernetes/client-node';
import type { Task } from '@devops-pipelines/plugin-devops-common';
import type { ClusterDirectory } from '../clusters/types';
import type { RunSource, TaskLog, TaskResult } from '../executors/types';

/** Where the init container checks the run's commit out, in every task pod. */
export const WORKSPACE_SOURCE_DIR = '/workspace/source';

/** Images and endpoints the task types use; all configurable for air-gapped mirrors. */
export type TaskToolSettings = {
  images: { git: string; kaniko: string; helm: string };
  /** `<registry>/<workspace>/<image>:<tag>` is where buildImage pushes. */
  registry?: { host: string; credentialsSecret?: string; insecure?: boolean };
  /** Where publishChart pushes and deployChart pulls: an OCI registry or a ChartMuseum. */
  chartRepository?: { type: 'oci' | 'chartmuseum'; url: string; credentialsSecret?: string };
};

export type PlanInput = {
  /** Fields already expanded (unknown variables failed the task before this). */
  task: Task;
  /** Every variable of the run, secrets included. */
  env: Record<string, string>;
  source?: RunSource;
  tools: TaskToolSettings;
  clusters: ClusterDirectory;
};

/**
 * A task that runs as a container of the task pod, after the source init container. The
 * executor adds the name, the workspace mount and the run's variables (from a Secret).
 */
export type PodTaskPlan = {
  kind: 'pod';
  container: Omit<V1Container, 'name'>;
  /**
   * Files the container needs that must not sit in the pod spec (registry credentials, a
   * kubeconfig for the target cluster): the executor puts them in a Secret made for the
   * task, mounts it read-only at `mountPath`, and deletes it with the pod.
   */
  secretFiles?: { mountPath: string; files: Record<string, string> };
  /**
   * Secrets an admin created in the task namespace (registry or chart repository
   * credentials): the executor mounts each read-only at `mountPath`, with only the listed
   * keys when `items` is given. Their values never pass through the backend.
   */
  mountedSecrets?: MountedSecret[];
};

export type MountedSecret = {
  secretName: string;
  mountPath: string;
  /** Keys of the Secret and the file names they get; all keys when omitted. */
  items?: Array<{ key: string; path: string }>;
};

export type BackendTaskContext = {
  log: TaskLog;
  signal: AbortSignal;
  /** Reads a file of the repository at the run's commit. */
  readSourceFile(path: string): Promise<string>;
  kubeConfig(clusterName: string): Promise<KubeConfig>;
};

/** A task the backend does itself (deployYaml: server-side apply of every document). */
export type BackendTaskPlan = {
  kind: 'backend';
  run(ctx: BackendTaskContext): Promise<TaskResult>;
};

export type TaskPlan = PodTaskPlan | BackendTaskPlan;

/** One per task type: turns a task into what the Kubernetes executor runs. */
export type TaskPlanner = (input: PlanInput) => Promise<TaskPlan>;

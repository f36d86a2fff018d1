import type { KubeConfig, V1Container } from '@kubernetes/client-node';
import type { Task } from '@devops-pipelines/plugin-devops-common';
import type { z } from 'zod';
import type { RunSource, TaskLog, TaskResult } from './executors';

/** Where every task pod has the run's commit checked out, by its source init container. */
export const WORKSPACE_SOURCE_DIR = '/workspace/source';

/** Images and endpoints the built-in task types use; all configurable for air-gapped mirrors. */
export type TaskToolSettings = {
  images: { git: string; kaniko: string; helm: string };
  /** `<registry>/<workspace>/<image>:<tag>` is where buildImage pushes. */
  registry?: { host: string; credentialsSecret?: string; insecure?: boolean };
  /** Where publishChart pushes and deployChart pulls: an OCI registry or a ChartMuseum. */
  chartRepository?: {
    type: 'oci' | 'chartmuseum';
    url: string;
    credentialsSecret?: string;
  };
};

/** The clusters the portal knows, by name: where a deploy task may send its work. */
export interface KubeConfigLookup {
  /** Throws with a message naming the cluster when the portal does not know it. */
  kubeConfig(clusterName: string): Promise<KubeConfig>;
}

export type PlanInput = {
  /** Fields already expanded (unknown variables failed the task before this). */
  task: Task;
  /** Every variable of the run, secrets included. */
  env: Record<string, string>;
  source?: RunSource;
  tools: TaskToolSettings;
  clusters: KubeConfigLookup;
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

/** What the Kubernetes executor runs for a task: a pod, or work the backend does. */
export type TaskPlan = PodTaskPlan | BackendTaskPlan;

/**
 * Turns a task into what the Kubernetes executor runs. Throws a `TaskPlanError` whose
 * message says what to change when the task cannot run as configured.
 */
export type TaskPlanner = (input: PlanInput) => Promise<TaskPlan>;

/**
 * What the local executor runs for a task: a shell script (`sh -e`) in the run's checked
 * out source, as a child process of the backend, with the run's variables and `env` on
 * top. `notice` is written to the task's log first, as a warning (what the local executor
 * leaves out that a cluster would do, such as the image).
 */
export type LocalTaskPlan = {
  kind: 'script';
  script: string;
  env?: Record<string, string>;
  notice?: string;
};

export type LocalTaskPlanner = (input: {
  task: Task;
  env: Record<string, string>;
}) => Promise<LocalTaskPlan>;

/**
 * A kind of task the pipeline editor offers and the executors run. The five built-in
 * types are registered this way too; a backend module adds its own through
 * `devopsTaskTypesExtensionPoint`.
 */
export interface DevopsTaskType {
  /**
   * The `type` of its tasks: `<namespace>:<name>` for a module's, e.g.
   * `example:verifyFiles` (the built-in types alone have no namespace).
   */
  type: string;
  /** The name the task dialog and the canvas cards show, e.g. "Verify files". */
  title: string;
  /** The hint under the type in the task dialog: what the task does. */
  description: string;
  /**
   * The task's own fields, besides `name`, `type` and `resources`, built with the zod
   * given (so a module's copy of zod and the backend's need not be the same). A task is
   * saved only when its fields parse; `.meta({ title, description, examples })` on a
   * field is what the dialog shows, and `multiline: true` makes it several lines. Field
   * values are strings, numbers or booleans; `${VAR}` references in strings are
   * expanded before a planner sees them.
   */
  fields(zod: typeof z): z.ZodObject;
  /** How each executor runs it. An executor without one fails the task, saying where it can run. */
  planners: {
    kubernetes?: TaskPlanner;
    local?: LocalTaskPlanner;
  };
  /**
   * Whether its Kubernetes plan is a pod, so that its tasks may ask for CPU and memory.
   * Defaults to whether it has a Kubernetes planner.
   */
  podResources?: boolean;
}

import type { KubeConfig } from '@kubernetes/client-node';
import type { BindingChoice } from './chooseBinding';
import type {
  ClusterBinding,
  ClusterHealthState,
} from '@devops-pipelines/plugin-devops-common';

export type { ClusterBinding, ClusterHealthState };
export type { BindingChoice };

/** What decides a pipeline's binding: its entity, and the cluster its settings chose. */
export type PipelineBindingKey = { entityRef: string; cluster?: string };

/**
 * What the run engine and the executors need to know about bound clusters. Implemented
 * by the clusters service; the Kubernetes executor and the deploy tasks use it.
 */
export interface ClusterDirectory {
  /**
   * The binding a pipeline's runs execute on, and why: the one its advanced settings
   * chose (`cluster`) while it serves the project, else one whose scope covers the
   * entity's owner group, else a portal-wide one; undefined when none is bound.
   */
  bindingForPipeline(pipeline: PipelineBindingKey): Promise<BindingChoice | undefined>;
  /** Whether any cluster is bound at all (the executor choice in `auto` mode). */
  hasBindings(): Promise<boolean>;
  /**
   * Client configuration for a known cluster by name (the execution cluster, or the
   * target cluster a deploy task names). Throws NotFoundError when the portal does not
   * know it, with a message saying to configure it.
   */
  kubeConfig(clusterName: string): Promise<KubeConfig>;
  /** A run found the cluster unreachable or its credentials refused: flag it now. */
  reportProblem(clusterName: string, health: ClusterHealthState, message: string): Promise<void>;
}

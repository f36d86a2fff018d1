/**
 * Health of a bound cluster, as the periodic check and failing runs see it (SPEC §8):
 * `removed` when the cluster is gone from the portal's configuration, `unknown` before the
 * first check.
 *
 * @public
 */
export type ClusterHealthState =
  | 'unknown'
  | 'healthy'
  | 'unreachable'
  | 'unauthorized'
  | 'namespaceMissing'
  | 'removed';

/**
 * A cluster the portal knows, bound to DevOps: pipelines' task pods run in its namespace.
 *
 * @public
 */
export type ClusterBinding = {
  /** The cluster's name in the portal's Kubernetes configuration. */
  name: string;
  namespace: string;
  /** Catalog group refs whose pipelines it serves; empty means the whole portal. */
  scope: string[];
  health: ClusterHealthState;
  /** What the last check saw, in words a user can act on. */
  healthMessage?: string;
  checkedAt?: string;
  createdBy: string;
  createdAt: string;
};

/**
 * `GET /clusters`: the bindings the user may see, and whether they may bind a cluster
 * for some scope (what a policy allows them to bind is decided on the binding itself).
 *
 * @public
 */
export type ClusterList = {
  items: ClusterBinding[];
  canBind: boolean;
};

/**
 * A cluster the portal knows that is not bound yet.
 *
 * @public
 */
export type AvailableCluster = {
  name: string;
  title?: string;
  url: string;
  /** Where the portal's configuration names it. */
  source: 'config' | 'kubeconfig';
  /** The namespace binding it creates unless the binding names one. */
  defaultNamespace: string;
};

/**
 * A pipeline that would stop working if a cluster were unbound, as the 409 answer to an
 * unforced unbind lists it (in `error.pipelines`).
 *
 * @public
 */
export type ClusterUser = {
  id: string;
  name: string;
  title?: string;
  entityRef: string;
  /** `runs`: its runs execute on the cluster; `deploys`: a deploy task targets it. */
  uses: Array<'runs' | 'deploys'>;
};

/**
 * `GET /pipelines/:id/bindings`: the bindings that may run the pipeline (SPEC §1), the one
 * its runs take now and why, and the one its advanced settings chose, if any.
 *
 * @public
 */
export type PipelineBindings = {
  items: Pick<ClusterBinding, 'name' | 'namespace' | 'scope' | 'health'>[];
  current?: { name: string; reason: string };
  chosen?: string;
};

/**
 * `GET /pipelines/deploy-targets`: a cluster a pipeline may deploy to, its binding's or
 * one `devops.deployTargets` gives its project.
 *
 * @public
 */
export type DeployTargetChoice = {
  cluster: string;
  /** The pipeline's runs are bound to it: any namespace. */
  bound?: boolean;
  /** Where limited: namespace names and `*` patterns; unset: any namespace. */
  namespaces?: string[];
};

/**
 * The namespaces of a cluster a pipeline may deploy into, as the deploy task dialog
 * suggests them; empty, with the reason, when the cluster could not list them.
 *
 * @public
 */
export type DeployNamespaces = {
  namespaces: string[];
  /** Why there are none to suggest: the dialog then takes any name. */
  unavailable?: string;
};

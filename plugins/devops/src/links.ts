/* Links between the DevOps pages; below the pages, so that none of them imports the router that mounts them. */
import { createContext, useContext } from 'react';

/** Where the DevOps pages are mounted: /devops, or an entity's Pipelines tab. */
export type DevopsMount = {
  /** Absolute path of the router's root, without a trailing slash. */
  basePath: string;
  /** Set in an entity's tab: new pipelines belong to this entity. */
  entityRef?: string;
};

export const DevopsMountContext = createContext<DevopsMount>({
  basePath: '/devops',
});

/**
 * Where the pipelines are below the mount: `pipelines/` on the DevOps page, and right
 * under an entity's tab, which is itself the Pipelines tab (so a pipeline there is
 * `…/pipelines/<id>`, not `…/pipelines/pipelines/<id>`).
 */
export const pipelinesPath = (mount: Pick<DevopsMount, 'entityRef'>) =>
  mount.entityRef ? '' : 'pipelines/';

/**
 * Links between the DevOps pages, relative to where they are mounted, so that a user
 * who starts in an entity's tab stays in it.
 */
export function useDevopsLinks() {
  const mount = useContext(DevopsMountContext);
  const { basePath, entityRef } = mount;
  const pipelines = `${basePath}/${pipelinesPath(mount)}`;
  return {
    entityRef,
    list: () => basePath || '/',
    newPipeline: (options: { copyOf?: string } = {}) =>
      `${pipelines}new${
        options.copyOf ? `?copyOf=${encodeURIComponent(options.copyOf)}` : ''
      }`,
    pipeline: (pipelineId: string) =>
      `${pipelines}${encodeURIComponent(pipelineId)}`,
    editPipeline: (pipelineId: string) =>
      `${pipelines}${encodeURIComponent(pipelineId)}/edit`,
    run: (runId: string) => `${basePath}/runs/${encodeURIComponent(runId)}`,
    clusters: () => `${basePath}/clusters`,
    repositories: () => `${basePath}/repositories`,
  };
}

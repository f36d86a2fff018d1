export { devopsApiRef } from './DevopsApi';
export type {
  AvailableCluster,
  BindClusterRequest,
  ClusterBinding,
  ClusterHealthState,
  ClusterUser,
  CopyPipelineRequest,
  DevopsApi,
  ListPipelinesOptions,
  ListRunsOptions,
  PipelineSettings,
  RerunOptions,
} from './DevopsApi';
export { DevopsClient } from './DevopsClient';

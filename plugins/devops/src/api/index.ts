export { devopsApiRef } from './DevopsApi';
export type {
  AvailableCluster,
  BindClusterRequest,
  ClusterBinding,
  ClusterHealthState,
  ClusterUser,
  CodeHostAccountSummary,
  CodeHostProvider,
  ConnectAccountRequest,
  ApplicationRegistration,
  CopyPipelineRequest,
  DevopsApi,
  ListPipelinesOptions,
  ListRunsOptions,
  PipelineSettings,
  RerunOptions,
} from './DevopsApi';
export { DevopsClient } from './DevopsClient';

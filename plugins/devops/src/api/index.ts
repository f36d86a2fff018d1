export { devopsApiRef } from './DevopsApi';
export type {
  AvailableCluster,
  BindClusterRequest,
  ClusterBinding,
  ClusterHealthState,
  ClusterUser,
  CodeHostAccountSummary,
  CodeHostBranch,
  CodeHostListOptions,
  CodeHostPage,
  CodeHostProvider,
  CodeHostRepository,
  ConnectAccountRequest,
  ApplicationRegistration,
  CopyPipelineRequest,
  DevopsApi,
  ListPipelinesOptions,
  ListRunsOptions,
  PipelineSettings,
  RepositoryListSource,
  RerunOptions,
} from './DevopsApi';
export { DevopsClient } from './DevopsClient';

export { devopsApiRef } from './DevopsApi';
export type {
  CopyPipelineRequest,
  DevopsApi,
  ListPipelinesOptions,
  ListRunsOptions,
  PipelineSettings,
  RerunOptions,
} from './DevopsApi';
export { DevopsClient } from './DevopsClient';

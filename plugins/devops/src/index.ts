/**
 * DevOps Pipelines for Backstage: the frontend plugin for the legacy frontend system and
 * its API client. The new frontend system's plugin is the default export of
 * `@devops-pipelines/plugin-devops/alpha`; the model types are in
 * `@devops-pipelines/plugin-devops-common`.
 *
 * @packageDocumentation
 */
export {
  devopsPlugin,
  DevopsPage,
  EntityDevopsContent,
  EntityPipelinesCard,
} from './plugin';
export {
  DEVOPS_PIPELINES_ANNOTATION,
  hasDevopsAnnotation,
  isDevopsAvailable,
} from './conditions';
export * from './api';
export { PipelinesTable } from './components/PipelinesTable';
export type { PipelinesTableProps } from './components/PipelinesTable';

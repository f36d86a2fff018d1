export { PipelineDetailsPage } from './PipelineDetailsPage';

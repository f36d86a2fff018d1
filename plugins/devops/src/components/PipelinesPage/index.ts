export { LegacyPipelinesPage, PipelinesPage } from './PipelinesPage';

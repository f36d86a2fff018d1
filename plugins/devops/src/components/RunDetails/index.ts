export { RunDetailsPage } from './RunDetailsPage';

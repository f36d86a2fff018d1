export { ListPanel } from './ListPanel';

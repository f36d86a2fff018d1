export { PipelinesTable } from './PipelinesTable';
export type { PipelinesTableProps } from './PipelinesTable';

export { LocalExecutor } from './LocalExecutor';
export type { LocalExecutorOptions } from './LocalExecutor';

export { ImportPipelineDialog } from './ImportPipelineDialog';
export type { ImportPipelineDialogProps } from './ImportPipelineDialog';

export { PipelineCanvas } from './PipelineCanvas';
export type { PipelineCanvasProps } from './PipelineCanvas';
export type {
  CanvasProblems,
  PipelineCanvasEditor,
  StageProblems,
  TaskPosition,
} from './types';

import { isPipelineCreator } from './isPipelineCreator';
import { isPipelineOfEntity } from './isPipelineOfEntity';

export const pipelineRules = { isPipelineCreator, isPipelineOfEntity };

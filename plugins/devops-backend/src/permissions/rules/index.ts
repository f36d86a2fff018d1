import { isPipelineCreator } from './isPipelineCreator';
import { isPipelineOfEntity } from './isPipelineOfEntity';
import { isProjectMember } from './isProjectMember';

export const pipelineRules = {
  isPipelineCreator,
  isPipelineOfEntity,
  isProjectMember,
};

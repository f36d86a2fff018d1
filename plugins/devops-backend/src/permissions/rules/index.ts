import { isPipelineCreator } from './isPipelineCreator';
import { isPipelineOfEntity } from './isPipelineOfEntity';
import { isProjectMember } from './isProjectMember';
import { isInBindingScope } from './isInBindingScope';

export const pipelineRules = {
  isPipelineCreator,
  isPipelineOfEntity,
  isProjectMember,
};

export const bindingRules = { isInBindingScope };

import type { TaskType } from '@devops-pipelines/plugin-devops-common';
import type { TaskPlanner } from './types';
import { planBuildImage } from './buildImage/planBuildImage';
import { planDeployChart } from './deployChart/planDeployChart';
import { planDeployYaml } from './deployYaml/planDeployYaml';
import { planPublishChart } from './publishChart/planPublishChart';
import { planRunScript } from './runScript/planRunScript';

/** How the Kubernetes executor runs each task type. */
export const taskPlanners: Record<TaskType, TaskPlanner> = {
  runScript: planRunScript,
  buildImage: planBuildImage,
  deployYaml: planDeployYaml,
  publishChart: planPublishChart,
  deployChart: planDeployChart,
};

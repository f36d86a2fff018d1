import {
  buildImageTaskSchema,
  deployChartTaskSchema,
  deployYamlTaskSchema,
  publishChartTaskSchema,
  runScriptTaskSchema,
  TASK_TYPE_TITLES,
} from '@devops-pipelines/plugin-devops-common';
import type { DevopsTaskType } from '@devops-pipelines/plugin-devops-node';
import type { z } from 'zod';
import { TaskTypeRegistry } from './TaskTypeRegistry';
import { planBuildImage } from '../tasks/buildImage/planBuildImage';
import { planDeployChart } from '../tasks/deployChart/planDeployChart';
import { planDeployYaml } from '../tasks/deployYaml/planDeployYaml';
import { planPublishChart } from '../tasks/publishChart/planPublishChart';
import { planRunScript } from '../tasks/runScript/planRunScript';
import { planRunScriptLocally } from '../tasks/runScript/planRunScriptLocally';

/** A built-in schema without what every task has: the type's own fields. */
const ownFields = (schema: z.ZodObject) => () =>
  schema.omit({ name: true, type: true, resources: true });

/**
 * The five task types of the original product (SPEC §4), registered as a module's are:
 * the shared schemas check their fields, the planners here run them.
 */
export const builtInTaskTypes: DevopsTaskType[] = [
  {
    type: 'runScript',
    title: TASK_TYPE_TITLES.runScript,
    description:
      'Runs a shell script in the checked-out source, in the image given on Kubernetes',
    fields: ownFields(runScriptTaskSchema),
    planners: { kubernetes: planRunScript, local: planRunScriptLocally },
  },
  {
    type: 'buildImage',
    title: TASK_TYPE_TITLES.buildImage,
    description:
      "Builds an image from a Dockerfile of the source and pushes it to the portal's registry",
    fields: ownFields(buildImageTaskSchema),
    planners: { kubernetes: planBuildImage },
  },
  {
    type: 'deployYaml',
    title: TASK_TYPE_TITLES.deployYaml,
    description:
      "Applies the Kubernetes YAML file of the source to a cluster's namespace",
    fields: ownFields(deployYamlTaskSchema),
    planners: { kubernetes: planDeployYaml },
    // The backend applies the documents itself: there is no pod to give resources.
    podResources: false,
  },
  {
    type: 'publishChart',
    title: TASK_TYPE_TITLES.publishChart,
    description:
      "Packages a Helm chart of the source and publishes it to the portal's chart repository",
    fields: ownFields(publishChartTaskSchema),
    planners: { kubernetes: planPublishChart },
  },
  {
    type: 'deployChart',
    title: TASK_TYPE_TITLES.deployChart,
    description:
      "Installs or upgrades a chart version from the portal's chart repository in a cluster's namespace",
    fields: ownFields(deployChartTaskSchema),
    planners: { kubernetes: planDeployChart },
  },
];

/** The task types of a portal without modules' ones, as tests and benchmarks run it. */
export function builtInTaskTypeRegistry(): TaskTypeRegistry {
  return new TaskTypeRegistry(builtInTaskTypes, []);
}

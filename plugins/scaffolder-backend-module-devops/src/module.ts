import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createPipelineAction } from './actions/createPipeline';
import { appLinks } from './actions/links';
import { runPipelineAction } from './actions/runPipeline';
import { DevopsApiClient } from './client/DevopsApiClient';

/**
 * The scaffolder's DevOps actions, devops:pipeline:create and devops:pipeline:run, which
 * call the devops backend's HTTP API as the user who runs the template.
 *
 * @public
 */
export const scaffolderModuleDevops = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'devops',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        config: coreServices.rootConfig,
      },
      async init({ scaffolder, discovery, auth, config }) {
        const client = new DevopsApiClient({ discovery, auth });
        const links = appLinks(config);
        scaffolder.addActions(
          createPipelineAction({ client, links }),
          runPipelineAction({ client, links }),
        );
      },
    });
  },
});

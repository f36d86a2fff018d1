import { createBackendModule } from '@backstage/backend-plugin-api';
import { devopsTaskTypesExtensionPoint } from '@devops-pipelines/plugin-devops-node';
import { verifyFilesTaskType } from './verifyFilesTaskType';

/** Adds the "Verify files" task type to the DevOps backend. */
export const devopsModuleVerifyFiles = createBackendModule({
  pluginId: 'devops',
  moduleId: 'verify-files',
  register(reg) {
    reg.registerInit({
      deps: { taskTypes: devopsTaskTypesExtensionPoint },
      async init({ taskTypes }) {
        taskTypes.addTaskType(verifyFilesTaskType);
      },
    });
  },
});

import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { DevopsPermissionPolicy } from './DevopsPermissionPolicy';

/**
 * The permission backend's policy: SPEC §9's matrix for DevOps' permissions
 * ({@link DevopsPermissionPolicy}), everything else allowed. Admins are the members of
 * `devops.permissions.adminGroups`. A portal with a policy of its own wraps the class
 * instead (its `fallback` option) and installs neither.
 *
 * @public
 */
export const devopsPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'devops-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          new DevopsPermissionPolicy({
            adminGroups:
              config.getOptionalStringArray('devops.permissions.adminGroups') ??
              [],
          }),
        );
      },
    });
  },
});

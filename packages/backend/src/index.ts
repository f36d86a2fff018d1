import { createBackend } from '@backstage/backend-defaults';
import {
  devopsPermissionPolicyModule,
  devopsWebhookGuardModule,
} from '@devops-pipelines/plugin-devops-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Code host webhooks reach the devops plugin through the events system's HTTP ingress.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));
backend.add(import('@backstage/plugin-events-backend-module-gitlab'));
// Answers malformed deliveries to those ingresses with a 4xx, where the events backend's is a 500.
backend.add(devopsWebhookGuardModule);
backend.add(import('@backstage/plugin-permission-backend'));
// SPEC §9's role matrix; admins are the members of devops.permissions.adminGroups.
backend.add(devopsPermissionPolicyModule);
backend.add(import('@devops-pipelines/plugin-devops-backend'));
// A task type from a backend module, as an adopter's own would be added (Verify files).
backend.add(
  import('@devops-pipelines/example-devops-backend-module-verify-files'),
);
// Where the devops plugin's failed and fixed runs reach their pipelines' owners; signals
// push new notifications to open pages.
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

backend.start();

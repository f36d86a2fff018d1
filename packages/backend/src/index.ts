import { createBackend } from '@backstage/backend-defaults';

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
backend.add(import('@backstage/plugin-permission-backend'));
// Development only: every permission is allowed. Production adopters install their own
// policy, or the role matrix of SPEC §9 with devopsPermissionPolicyModule (see the README's
// Permissions); the demo moves to it once it ships example users for each role.
backend.add(
  import('@backstage/plugin-permission-backend-module-allow-all-policy'),
);
backend.add(import('@devops-pipelines/plugin-devops-backend'));

backend.start();

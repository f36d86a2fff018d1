/*
 * The backend process of the whole-stack tests (wholeStackBackend.ts starts it with
 * `--config`): the portal as packages/backend installs it, with a stand-in sign-in.
 */
import { createBackend } from '@backstage/backend-defaults';
import { createBackendModule } from '@backstage/backend-plugin-api';
import { AuthenticationError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthProviderFactory,
  createProxyAuthenticator,
} from '@backstage/plugin-auth-node';
import { devopsPermissionPolicyModule } from '../../permissions/policy/policyModule';
import { devopsWebhookGuardModule } from '../../triggers/webhooks/webhookGuardModule';
import { STAND_IN_USER_HEADER } from './standInSignIn';

/**
 * A STAND-IN for the identity provider a portal signs people in with (GitHub, OIDC, …),
 * which cannot run here: it takes the user from a header. Everything after it is
 * Backstage's own: the auth backend resolves the user in the catalog and issues a real
 * signed Backstage token with the user's ownership claims.
 */
const standInSignIn = createBackendModule({
  pluginId: 'auth',
  moduleId: 'stand-in-sign-in',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'stand-in',
          factory: createProxyAuthProviderFactory({
            authenticator: createProxyAuthenticator({
              defaultProfileTransform: async () => ({ profile: {} }),
              initialize: () => undefined,
              async authenticate({ req }) {
                const user = req.header(STAND_IN_USER_HEADER);
                if (!user) {
                  throw new AuthenticationError(`no ${STAND_IN_USER_HEADER}`);
                }
                return { result: { user } };
              },
            }),
            signInResolver: async ({ result }, ctx) =>
              ctx.signInWithCatalogUser({ entityRef: result.user }),
          }),
        });
      },
    });
  },
});

const backend = createBackend();
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(standInSignIn);
backend.add(import('@backstage/plugin-catalog-backend'));
// Code host webhooks reach the devops plugin through the events system's HTTP ingress.
backend.add(import('@backstage/plugin-events-backend'));
backend.add(import('@backstage/plugin-events-backend-module-github'));
backend.add(import('@backstage/plugin-events-backend-module-gitlab'));
backend.add(devopsWebhookGuardModule);
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(devopsPermissionPolicyModule);
backend.add(import('../../index'));
backend.start();

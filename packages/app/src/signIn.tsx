import { SignInPage } from '@backstage/core-components';
import type { SignInPageProps } from '@backstage/core-plugin-api';
import {
  createExtension,
  createExtensionDataRef,
  createFrontendModule,
} from '@backstage/frontend-plugin-api';
import type { ComponentType } from 'react';

/*
 * The app root takes its sign-in page as this piece of extension data. In this release
 * the blueprint that makes it (SignInPageBlueprint) lives in @backstage/plugin-app-react,
 * which is not a dependency of this app, so the extension is declared directly against
 * the same data id; with that package added, `SignInPageBlueprint.make` replaces it.
 */
const signInPageComponentDataRef = createExtensionDataRef<
  ComponentType<SignInPageProps>
>().with({ id: 'core.sign-in-page.component' });

const GuestSignInPage = (props: SignInPageProps) => (
  <SignInPage {...props} providers={['guest']} />
);

// Without a name, its id is `sign-in-page:app`, the app plugin's own sign-in page,
// which this module therefore replaces.
const guestSignInPage = createExtension({
  kind: 'sign-in-page',
  attachTo: { id: 'app/root', input: 'signInPage' },
  output: [signInPageComponentDataRef],
  factory: () => [signInPageComponentDataRef(GuestSignInPage)],
});

/** Signs users in as guests, the provider the development backend enables. */
export const signInModule = createFrontendModule({
  pluginId: 'app',
  extensions: [guestSignInPage],
});

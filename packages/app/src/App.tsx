import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import notificationsPlugin from '@backstage/plugin-notifications/alpha';
import signalsPlugin from '@backstage/plugin-signals/alpha';
import devopsPlugin from '@devops-pipelines/plugin-devops/alpha';
import { signInModule } from './signIn';

export default createApp({
  features: [
    catalogPlugin,
    devopsPlugin,
    // The devops plugin's run notifications; signals show new ones without a reload.
    notificationsPlugin,
    signalsPlugin,
    signInModule,
  ],
});

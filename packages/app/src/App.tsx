import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import devopsPlugin from '@devops-pipelines/plugin-devops/alpha';
import { signInModule } from './signIn';

export default createApp({
  features: [catalogPlugin, devopsPlugin, signInModule],
});

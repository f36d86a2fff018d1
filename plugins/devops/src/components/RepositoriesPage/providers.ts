import type { CodeHostProvider } from '../../api';

/** How each host names the two credentials of an OAuth application. */
export const CREDENTIAL_LABELS: Record<
  CodeHostProvider,
  {
    clientId: string;
    clientSecret: string;
    privateHost: string;
    baseUrl: string;
  }
> = {
  github: {
    clientId: 'Client ID',
    clientSecret: 'Client secret',
    privateHost: 'GitHub Enterprise Server',
    baseUrl: 'e.g. https://github.example.com',
  },
  gitlab: {
    clientId: 'Application ID',
    clientSecret: 'Secret',
    privateHost: 'Self-hosted GitLab (9.0 or later)',
    baseUrl: 'e.g. https://gitlab.example.com',
  },
};

import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { PipelineSpec } from '@devops-pipelines/plugin-devops-common';
import type { CodeHostClient } from '../codeHosts/types';
import type { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { WebhookRegistrar } from './WebhookRegistrar';

const stages: PipelineSpec['stages'] = [
  {
    name: 'Build',
    order: 'sequential',
    tasks: [
      {
        name: 'b',
        type: 'runScript',
        image: 'alpine',
        tag: '3',
        script: 'make',
      },
    ],
  },
];

const onGitlab = (events: {
  push: boolean;
  merge: boolean;
  tag: boolean;
}): PipelineSpec => ({
  source: {
    provider: 'gitlab',
    repository: 'https://gitlab.example.com/qa/app.git',
    branch: 'main',
  },
  stages,
  triggers: { events },
});

/** A connected GitLab account, as the account service hands it out. */
const JANES_ACCOUNT = {
  id: 'account-jane',
  access: {
    token: 'gloa_jane',
    login: 'jane',
    baseUrl: 'https://gitlab.example.com',
    apiBaseUrl: 'https://gitlab.example.com/api/v4',
  },
};

/** A backend with the events backend and both webhook modules, as the demo backend has. */
const WITH_INGRESS = [
  { pluginId: 'devops', modules: [] },
  {
    pluginId: 'events',
    modules: [{ moduleId: 'github-webhook' }, { moduleId: 'gitlab-webhook' }],
  },
];

function registrar(config: object, installedPlugins = WITH_INGRESS) {
  const gitlab: jest.Mocked<CodeHostClient> = {
    ensureWebhook: jest.fn().mockResolvedValue({ id: '1', created: true }),
    removeWebhook: jest.fn(),
    setCommitStatus: jest.fn(),
  };
  const subscriptions = jest.fn().mockResolvedValue([]);
  return {
    gitlab,
    registrar: new WebhookRegistrar({
      config: new ConfigReader(config),
      discovery: mockServices.discovery.mock({
        getExternalBaseUrl: async plugin =>
          `https://portal.example.com/api/${plugin}`,
      }),
      instanceMetadata: {
        getId: () => 'test-instance',
        getInstalledPlugins: async () => installedPlugins,
      },
      triggers: { subscriptions } as unknown as DatabaseTriggerStore,
      logger: mockServices.logger.mock(),
      clients: { github: gitlab, gitlab },
      accountAccess: async accountId => {
        if (accountId !== JANES_ACCOUNT.id) {
          throw new Error(`No account ${accountId}`);
        }
        return JANES_ACCOUNT.access;
      },
    }),
  };
}

describe('WebhookRegistrar', () => {
  it('offers no events of a host whose deliveries the portal does not check, and refuses them', async () => {
    const { registrar: r, gitlab } = registrar({});

    expect(await r.settings('gitlab')).toEqual({
      enabled: false,
      problem:
        'GitLab events are not received by this portal: its admin sets events.modules.gitlab.webhookSecret',
    });
    await expect(
      r.beforeSave(
        onGitlab({ push: true, merge: false, tag: false }),
        undefined,
      ),
    ).rejects.toThrow(
      /^Event triggers cannot be turned on: GitLab events are not received/,
    );
    expect(gitlab.ensureWebhook).not.toHaveBeenCalled();
  });

  it('offers no events while the backend lacks the events backend or the provider module', async () => {
    const secrets = {
      events: {
        modules: {
          github: { webhookSecret: 's' },
          gitlab: { webhookSecret: 't' },
        },
      },
    };
    const withoutEvents = registrar(secrets, [
      { pluginId: 'devops', modules: [] },
    ]).registrar;
    const withoutGitlab = registrar(secrets, [
      { pluginId: 'events', modules: [{ moduleId: 'github-webhook' }] },
    ]).registrar;

    expect(await withoutEvents.settings('github')).toEqual({
      enabled: false,
      problem:
        'GitHub events are not received by this portal: its admin adds @backstage/plugin-events-backend and @backstage/plugin-events-backend-module-github to the backend',
    });
    expect(await withoutGitlab.settings('github')).toEqual({
      enabled: true,
      url: 'https://portal.example.com/api/events/http/github',
    });
    expect(await withoutGitlab.settings('gitlab')).toEqual({
      enabled: false,
      problem:
        'GitLab events are not received by this portal: its admin adds @backstage/plugin-events-backend-module-gitlab to the backend',
    });
  });

  it('registers the ingress URL with the module secret, unless registered by hand or already on', async () => {
    const { registrar: r, gitlab } = registrar({
      events: { modules: { gitlab: { webhookSecret: 'tok' } } },
    });
    const on = onGitlab({ push: true, merge: false, tag: false });

    expect(await r.settings('gitlab')).toEqual({
      enabled: true,
      url: 'https://portal.example.com/api/events/http/gitlab',
    });
    await r.beforeSave(on, undefined);
    expect(gitlab.ensureWebhook).toHaveBeenCalledWith(
      'https://gitlab.example.com/qa/app.git',
      {
        url: 'https://portal.example.com/api/events/http/gitlab',
        secret: 'tok',
      },
      undefined,
    );
    await r.beforeSave(on, undefined, { manual: true });
    await r.beforeSave(onGitlab({ push: true, merge: true, tag: false }), on);
    expect(gitlab.ensureWebhook).toHaveBeenCalledTimes(1);
  });

  it('removes the hook once no pipeline on the repository has event triggers, and only then', async () => {
    const { registrar: r, gitlab } = registrar({
      events: { modules: { gitlab: { webhookSecret: 'tok' } } },
    });
    const on = onGitlab({ push: true, merge: false, tag: false });

    await r.afterSave(onGitlab({ push: false, merge: false, tag: false }), on);

    expect(gitlab.removeWebhook).toHaveBeenCalledWith(
      'https://gitlab.example.com/qa/app.git',
      'https://portal.example.com/api/events/http/gitlab',
      undefined,
    );
    await r.afterSave(on, on);
    expect(gitlab.removeWebhook).toHaveBeenCalledTimes(1);
  });

  it("manages the hook with the account the pipeline's source names", async () => {
    const { registrar: r, gitlab } = registrar({
      events: { modules: { gitlab: { webhookSecret: 'tok' } } },
    });
    const on = onGitlab({ push: true, merge: false, tag: false });
    const withAccount = {
      ...on,
      source: { ...on.source!, accountId: JANES_ACCOUNT.id },
    };

    await r.beforeSave(withAccount, undefined);
    await r.afterSave(undefined, withAccount);

    expect(gitlab.ensureWebhook).toHaveBeenCalledWith(
      'https://gitlab.example.com/qa/app.git',
      expect.objectContaining({ secret: 'tok' }),
      JANES_ACCOUNT.access,
    );
    expect(gitlab.removeWebhook).toHaveBeenCalledWith(
      'https://gitlab.example.com/qa/app.git',
      'https://portal.example.com/api/events/http/gitlab',
      JANES_ACCOUNT.access,
    );
  });
});

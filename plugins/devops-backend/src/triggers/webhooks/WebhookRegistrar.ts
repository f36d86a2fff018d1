import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import {
  DiscoveryService,
  LoggerService,
  RootInstanceMetadataService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import { InputError } from '@backstage/errors';
import type {
  PipelineSpec,
  WebhookProviderSettings,
} from '@devops-pipelines/plugin-devops-common';
import type { AccountAccess, CodeHostClient } from '../codeHosts/types';
import type { DatabaseTriggerStore } from '../DatabaseTriggerStore';
import { repositoryKey } from '../events/repositoryKey';
import type { CodeHostProvider } from '../types';

/** The secret each events module checks deliveries with (X-Hub-Signature-256, X-Gitlab-Token). */
const SECRET_KEYS: Record<CodeHostProvider, string> = {
  github: 'events.modules.github.webhookSecret',
  gitlab: 'events.modules.gitlab.webhookSecret',
};

/** The events backend module that serves and checks each provider's ingress. */
const WEBHOOK_MODULES: Record<
  CodeHostProvider,
  { moduleId: string; packageName: string }
> = {
  github: {
    moduleId: 'github-webhook',
    packageName: '@backstage/plugin-events-backend-module-github',
  },
  gitlab: {
    moduleId: 'gitlab-webhook',
    packageName: '@backstage/plugin-events-backend-module-gitlab',
  },
};

/** The code host repository of a spec whose event triggers are on, if any. */
function eventRepository(spec: PipelineSpec | undefined) {
  const { source, triggers } = spec ?? {};
  const events = triggers?.events;
  if (!source || source.provider === 'git' || !events) return undefined;
  if (!(events.push || events.merge || events.tag)) return undefined;
  return {
    provider: source.provider as CodeHostProvider,
    url: source.repository,
    accountId: source.accountId,
  };
}

/**
 * One webhook per repository, shared by every pipeline with event triggers on it: made
 * when the first turns them on, removed when the last turns them off or is deleted. It
 * points at the events backend's HTTP ingress (`/api/events/http/<provider>`), where the
 * provider's events module checks it with the secret registered here.
 */
export class WebhookRegistrar {
  constructor(
    private readonly deps: {
      config: Config;
      discovery: DiscoveryService;
      /** Which plugins and modules this backend runs: the ingress must be one of them. */
      instanceMetadata: RootInstanceMetadataService;
      triggers: DatabaseTriggerStore;
      logger: LoggerService;
      clients: Record<CodeHostProvider, CodeHostClient>;
      /** The token of the connected account a pipeline's source names. */
      accountAccess(accountId: string): Promise<AccountAccess>;
    },
  ) {}

  /** Whether deliveries from a provider can be received, and where the code host sends them. */
  async settings(provider: CodeHostProvider): Promise<WebhookProviderSettings> {
    const problem = await this.#ingressProblem(provider);
    if (problem) {
      return {
        enabled: false,
        problem: `${CODE_HOST_NAMES[provider]} events are not received by this portal: ${problem}`,
      };
    }
    return { enabled: true, url: await this.#ingressUrl(provider) };
  }

  /** What its admin must do before deliveries from a provider reach this backend, if anything. */
  async #ingressProblem(
    provider: CodeHostProvider,
  ): Promise<string | undefined> {
    const { moduleId, packageName } = WEBHOOK_MODULES[provider];
    const plugins = await this.deps.instanceMetadata.getInstalledPlugins();
    const events = plugins.find(plugin => plugin.pluginId === 'events');
    if (!events) {
      return `its admin adds @backstage/plugin-events-backend and ${packageName} to the backend`;
    }
    if (!events.modules.some(module => module.moduleId === moduleId)) {
      return `its admin adds ${packageName} to the backend`;
    }
    if (!this.deps.config.getOptionalString(SECRET_KEYS[provider])) {
      return `its admin sets ${SECRET_KEYS[provider]}`;
    }
    return undefined;
  }

  /**
   * Registers the webhook a pipeline's new triggers need, before they are saved, so that a
   * refusal (no credentials, missing rights, the host's webhook limit) stores nothing and
   * reaches the user with the fix. `manual`: the user registered it by hand.
   */
  async beforeSave(
    spec: PipelineSpec,
    previous: PipelineSpec | undefined,
    options: { manual?: boolean } = {},
  ) {
    const wanted = eventRepository(spec);
    if (!wanted) return;
    const settings = await this.settings(wanted.provider);
    if (!settings.enabled)
      throw new InputError(
        `Event triggers cannot be turned on: ${settings.problem}`,
      );
    const before = eventRepository(previous);
    const unchanged =
      before && repositoryKey(before.url) === repositoryKey(wanted.url);
    if (options.manual || unchanged) return;
    const secret = this.deps.config.getString(SECRET_KEYS[wanted.provider]);
    await this.deps.clients[wanted.provider].ensureWebhook(
      wanted.url,
      { url: settings.url, secret },
      await this.#account(wanted.accountId),
    );
  }

  /**
   * After a pipeline was saved or deleted: removes the webhook of the repository it used
   * when no pipeline has event triggers on it any more. A failure is logged, not thrown:
   * the change is saved, and a hook left behind only sends deliveries nothing matches.
   */
  async afterSave(
    spec: PipelineSpec | undefined,
    previous: PipelineSpec | undefined,
  ) {
    const before = eventRepository(previous);
    if (!before) return;
    const key = repositoryKey(before.url);
    const now = eventRepository(spec);
    if (!key || (now && repositoryKey(now.url) === key)) return;
    if ((await this.deps.triggers.subscriptions(key)).length) return;
    try {
      await this.deps.clients[before.provider].removeWebhook(
        before.url,
        await this.#ingressUrl(before.provider),
        await this.#account(before.accountId),
      );
    } catch (error) {
      this.deps.logger.warn(
        `The webhook on ${before.url} could not be removed; remove it on the repository's settings page: ${error}`,
      );
    }
  }

  /** The source's account, whose token manages the hook; else the portal's integration. */
  async #account(accountId: string | undefined) {
    return accountId ? this.deps.accountAccess(accountId) : undefined;
  }

  async #ingressUrl(provider: CodeHostProvider) {
    return `${await this.deps.discovery.getExternalBaseUrl(
      'events',
    )}/http/${provider}`;
  }
}

import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import {
  DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE,
  DEVOPS_PIPELINE_RESOURCE_TYPE,
  devopsPermissions,
} from '@devops-pipelines/plugin-devops-common';
import { ScmIntegrations } from '@backstage/integration';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { randomBytes } from 'crypto';
import { AccountService } from './accounts/AccountService';
import { CALLBACK_PATHS } from './accounts/accountsRoutes';
import { DatabaseAccountStore } from './accounts/DatabaseAccountStore';
import { IntegrationCredentials } from './accounts/integrationCredentials';
import { RepositoryBrowser } from './accounts/RepositoryBrowser';
import { SourceCredentials } from './accounts/SourceCredentials';
import { registerDevopsActions } from './actions/registerDevopsActions';
import { ChartVersionReader } from './charts/ChartVersionReader';
import { ClusterService } from './clusters/ClusterService';
import { readClusterSettings } from './clusters/clusterSettings';
import { CatalogProjects } from './catalog/CatalogProjects';
import { DeployTargets } from './deployTargets/DeployTargets';
import { readDeployTargets } from './deployTargets/readDeployTargets';
import { catalogEntityOwners } from './catalog/entityOwners';
import { catalogUserDisplayNames } from './catalog/userDisplayNames';
import { readTaskResourceSettings } from './executors/kubernetes/taskResources';
import { scheduleClusterHealthChecks } from './clusters/scheduleHealthChecks';
import { readDevopsConfig } from './config';
import { DatabaseClusterStore } from './database/DatabaseClusterStore';
import { DatabaseLogStore } from './database/DatabaseLogStore';
import { RunChanges } from './database/RunChanges';
import { DatabasePipelineStore } from './database/DatabasePipelineStore';
import { DatabaseRunStore } from './database/DatabaseRunStore';
import { applyMigrations } from './database/migrate';
import { RunEngine } from './engine/RunEngine';
import { allObservers } from './engine/RunDriver';
import { createTaskExecutor } from './executors/createTaskExecutor';
import {
  PipelineAuthorizer,
  withProjectMembers,
} from './permissions/PipelineAuthorizer';
import { bindingResourceRef } from './permissions/bindingResource';
import {
  BindingAuthorizer,
  withScopeMembers,
} from './permissions/BindingAuthorizer';
import { pipelineResourceRef } from './permissions/resource';
import { bindingRules, pipelineRules } from './permissions/rules';
import { isResourcePermission } from '@backstage/plugin-permission-common';
import { createRouter } from './router/createRouter';
import { resolveBranchHead } from './scm/git';
import { checkRepositoryHost } from './scm/internalAddress';
import { resealSecrets } from './secrets/resealSecrets';
import { SecretBox } from './secrets/SecretBox';
import { GithubClient } from './triggers/codeHosts/GithubClient';
import { GitlabClient } from './triggers/codeHosts/GitlabClient';
import { CommitStatusReporter } from './triggers/commitStatus/CommitStatusReporter';
import { DatabaseTriggerStore } from './triggers/DatabaseTriggerStore';
import { EventTriggerService } from './triggers/events/EventTriggerService';
import { ScheduleFirer } from './triggers/schedule/ScheduleFirer';
import { scheduleTriggerFires } from './triggers/schedule/scheduleTriggerFires';
import { systemClock } from './triggers/schedule/TriggerClock';
import { readTriggerSettings } from './triggers/triggerSettings';
import { WebhookRegistrar } from './triggers/webhooks/WebhookRegistrar';
import { loadSeedPipelines, SEED_CREATOR } from './seed/loadSeedPipelines';
import { RunNotifier } from './notifications/RunNotifier';
import {
  devopsExecutorsExtensionPoint,
  devopsTaskTypesExtensionPoint,
  type DevopsExecutor,
  type DevopsTaskType,
} from '@devops-pipelines/plugin-devops-node';
import { builtInTaskTypes } from './taskTypes/builtInTaskTypes';
import { TaskTypeRegistry } from './taskTypes/TaskTypeRegistry';

/**
 * DevOps Pipelines backend plugin: wiring only.
 *
 * @public
 */
export const devopsPlugin = createBackendPlugin({
  pluginId: 'devops',
  register(env) {
    const moduleTaskTypes: DevopsTaskType[] = [];
    env.registerExtensionPoint(devopsTaskTypesExtensionPoint, {
      addTaskType(...taskTypes) {
        moduleTaskTypes.push(...taskTypes);
      },
    });
    const moduleExecutors: DevopsExecutor[] = [];
    env.registerExtensionPoint(devopsExecutorsExtensionPoint, {
      addExecutor(executor) {
        moduleExecutors.push(executor);
      },
    });

    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        lifecycle: coreServices.lifecycle,
        scheduler: coreServices.scheduler,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        discovery: coreServices.discovery,
        events: eventsServiceRef,
        instanceMetadata: coreServices.rootInstanceMetadata,
        actionsRegistry: actionsRegistryServiceRef,
        auditor: coreServices.auditor,
        notifications: notificationService,
      },
      async init({
        config,
        logger,
        database,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        lifecycle,
        scheduler,
        auth,
        catalog,
        discovery,
        events,
        instanceMetadata,
        actionsRegistry,
        auditor,
        notifications,
      }) {
        const settings = readDevopsConfig(config);
        const db = await database.getClient();
        await applyMigrations(db, database);

        if (!settings.encryptionKey) {
          logger.warn(
            'devops.encryptionKey is not set: secret parameters are encrypted with a random key and cannot be read after a restart',
          );
        }
        const secretBox = new SecretBox(
          settings.encryptionKey ?? randomBytes(32).toString('hex'),
          settings.previousEncryptionKeys,
        );
        if (settings.previousEncryptionKeys.length) {
          await resealSecrets(db, secretBox, logger);
        }
        const triggerSettings = readTriggerSettings(config);
        const triggers = new DatabaseTriggerStore(db, {
          zone: triggerSettings.timezone,
          now: () => systemClock.now(),
        });
        const pipelines = new DatabasePipelineStore(db, secretBox, triggers);
        // Wakes log followers when a run's log grows or it ends, on every replica.
        const runChanges = new RunChanges(db);
        await runChanges.listen(logger);
        lifecycle.addShutdownHook(() => runChanges.close());
        const runs = new DatabaseRunStore(db, secretBox, runChanges);
        const logs = new DatabaseLogStore(db, runChanges);
        const clusterSettings = readClusterSettings(config);
        const entityOwners = catalogEntityOwners(catalog, auth);
        const projects = new CatalogProjects(catalog, auth, entityOwners);
        const clusters = new ClusterService({
          config,
          store: new DatabaseClusterStore(db),
          pipelines,
          owners: entityOwners,
          namespacePrefix: clusterSettings.namespacePrefix,
          logger,
        });

        const deployTargets = new DeployTargets({
          rules: readDeployTargets(config),
          clusters,
          projects,
        });

        permissionsRegistry.addResourceType({
          resourceRef: pipelineResourceRef,
          permissions: devopsPermissions.filter(p =>
            isResourcePermission(p, DEVOPS_PIPELINE_RESOURCE_TYPE),
          ),
          rules: Object.values(pipelineRules),
          // With their projects' members, for the IS_PROJECT_MEMBER rule.
          getResources: async ids => {
            const found = await pipelines.getMany(ids);
            const resources = new Map(
              (await withProjectMembers([...found.values()], projects)).map(
                resource => [resource.id, resource],
              ),
            );
            return ids.map(id => resources.get(id));
          },
        });
        permissionsRegistry.addResourceType({
          resourceRef: bindingResourceRef,
          permissions: devopsPermissions.filter(p =>
            isResourcePermission(p, DEVOPS_CLUSTER_BINDING_RESOURCE_TYPE),
          ),
          rules: Object.values(bindingRules),
          // With their scope groups' nested groups, for the IS_IN_BINDING_SCOPE rule.
          getResources: async names => {
            const bindings = await clusters.list();
            const found = await withScopeMembers(
              names.flatMap(name => bindings.filter(b => b.name === name)),
              projects,
            );
            return names.map(name => found.find(b => b.name === name));
          },
        });
        permissionsRegistry.addPermissions(devopsPermissions);

        // Commit statuses, notifications and the account flow's landing page link to the
        // app (mounted at /devops); Backstage's own default for a development app is the
        // fallback.
        const appBaseUrl = (
          config.getOptionalString('app.baseUrl') ?? 'http://localhost:3000'
        ).replace(/\/$/, '');
        const runUrl = (runId: string) =>
          `${appBaseUrl}/devops/runs/${encodeURIComponent(runId)}`;
        const accounts = new AccountService({
          store: new DatabaseAccountStore(db, secretBox),
          discovery,
          appBaseUrl,
          allowedHosts: settings.allowedInternalHosts,
          pipelinesUsing: accountId => pipelines.listUsingAccount(accountId),
          logger,
        });
        const integrations = new IntegrationCredentials(
          ScmIntegrations.fromConfig(config),
        );
        const { forSource: sourceCredentials } = new SourceCredentials({
          accounts,
          integrations,
        });

        const taskTypes = new TaskTypeRegistry(
          builtInTaskTypes,
          moduleTaskTypes,
        );
        // Each run goes to its pipeline's bound cluster, else to the local executor, or
        // to a module's executor that devops.executor.type names.
        const executor = createTaskExecutor({
          config,
          logger,
          clusters,
          pipelines,
          runs,
          sourceCredentials,
          deployTargets,
          taskTypes,
          moduleExecutors,
        });
        const local = settings.localExecutor;

        const codeHosts = {
          github: GithubClient.fromConfig(config),
          gitlab: GitlabClient.fromConfig(config),
        };
        const webhooks = new WebhookRegistrar({
          config,
          discovery,
          instanceMetadata,
          triggers,
          logger,
          clients: codeHosts,
          accountAccess: accountId => accounts.access(accountId),
        });
        const engine = new RunEngine({
          runs,
          logs,
          executor,
          taskTypes,
          logger,
          // The backend's first contact with a run's repository, whichever executor
          // checks it out: an internal host is refused here.
          resolveCommit: async source => {
            await checkRepositoryHost(
              source.repository,
              settings.allowedInternalHosts,
            );
            return resolveBranchHead({
              ...source,
              allowFileUrls: local?.allowFileUrls ?? false,
              credentials: await sourceCredentials(source),
            });
          },
          maxLogBytesPerTask: settings.maxLogBytesPerTask,
          concurrency: settings.concurrentRuns,
          staleAfterMs: settings.staleAfterMs,
          observer: allObservers(
            new CommitStatusReporter({
              clients: codeHosts,
              accountAccess: accountId => accounts.access(accountId),
              runUrl,
              logger,
            }),
            // Failed and fixed runs (or every run, or none) to the pipeline's owners.
            new RunNotifier({
              notifications,
              pipelines,
              runs,
              owners: entityOwners,
              runUrl,
              logger,
            }),
          ),
        });

        await loadSeedPipelines(
          settings.seedDirectories,
          pipelines,
          logger,
          settings.seedCreatedBy ?? SEED_CREATOR,
          taskTypes,
        );
        const reindexed = await triggers.reindex();
        if (reindexed.indexed || reindexed.rezoned) {
          logger.info(
            `Trigger index: ${reindexed.indexed} pipelines indexed, ${reindexed.rezoned} schedules moved to ${triggers.zone}`,
          );
        }

        // The code host sends the browser back without a Backstage token; the
        // authorization's state identifies the user instead.
        for (const path of CALLBACK_PATHS) {
          httpRouter.addAuthPolicy({ path, allow: 'unauthenticated' });
        }
        const authorizer = new PipelineAuthorizer(
          permissions,
          permissionsRegistry,
          projects,
        );
        const userDisplayName = catalogUserDisplayNames(catalog, auth, logger);
        httpRouter.use(
          createRouter({
            logger,
            httpAuth,
            auditor,
            authorizer,
            clusterAuthorizer: new BindingAuthorizer(
              permissions,
              permissionsRegistry,
              projects,
            ),
            pipelines,
            runs,
            logs,
            runChanges,
            engine,
            clusters,
            deployTargets,
            chartVersions: ChartVersionReader.fromConfig(config),
            triggers,
            webhooks,
            accounts,
            repositories: new RepositoryBrowser({ accounts, integrations }),
            userDisplayName,
            taskResources: readTaskResourceSettings(config),
            taskTypes,
            maxPipelines: settings.maxPipelines,
            maxRequestBytes: settings.maxRequestBytes,
            callbackRequestsPerMinute: settings.callbackRequestsPerMinute,
          }),
        );
        // The same operations for MCP clients and scripts, checked as the calling user.
        registerDevopsActions(actionsRegistry, {
          authorizer,
          pipelines,
          runs,
          logs,
          engine,
          userDisplayName,
          runUrl,
          auditor,
        });

        await scheduleClusterHealthChecks({
          scheduler,
          clusters,
          frequency: clusterSettings.healthCheckFrequency,
        });

        await scheduleTriggerFires({
          scheduler,
          triggers,
          firer: new ScheduleFirer({
            triggers,
            pipelines,
            runs,
            clock: systemClock,
            logger,
            onQueued: () => engine.notify(),
          }),
        });

        await new EventTriggerService({
          triggers,
          pipelines,
          runs,
          logger,
          now: () => new Date(),
          onQueued: () => engine.notify(),
        }).subscribe(events);

        lifecycle.addStartupHook(() => engine.start());
        lifecycle.addShutdownHook(() => engine.shutdown());
        logger.info(
          `DevOps run engine ${engine.engineId} ready (resource type ${DEVOPS_PIPELINE_RESOURCE_TYPE})`,
        );
      },
    });
  },
});

import {
  AuditorService,
  BackstageCredentials,
  HttpAuthService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { RunTrigger } from '@devops-pipelines/plugin-devops-common';
import type { AccountService } from '../accounts/AccountService';
import type { RepositoryBrowser } from '../accounts/RepositoryBrowser';
import type { UserDisplayName } from '../catalog/userDisplayNames';
import type { ChartVersionReader } from '../charts/ChartVersionReader';
import type { ClusterService } from '../clusters/ClusterService';
import type { TaskResourceSettings } from '../executors/kubernetes/taskResources';
import type { DeployTargets } from '../deployTargets/DeployTargets';
import { DatabaseLogStore } from '../database/DatabaseLogStore';
import type { RunChanges } from '../database/RunChanges';
import { DatabasePipelineStore } from '../database/DatabasePipelineStore';
import { DatabaseRunStore } from '../database/DatabaseRunStore';
import { RunEngine } from '../engine/RunEngine';
import type { BindingAuthorizer } from '../permissions/BindingAuthorizer';
import { PipelineAuthorizer } from '../permissions/PipelineAuthorizer';
import type { TaskTypeRegistry } from '../taskTypes/TaskTypeRegistry';
import type { DatabaseTriggerStore } from '../triggers/DatabaseTriggerStore';
import type { WebhookRegistrar } from '../triggers/webhooks/WebhookRegistrar';

export type RouterOptions = {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  /** Records creates, updates, deletes, runs with secrets, binds and unbinds. */
  auditor: AuditorService;
  authorizer: PipelineAuthorizer;
  clusterAuthorizer: BindingAuthorizer;
  pipelines: DatabasePipelineStore;
  runs: DatabaseRunStore;
  logs: DatabaseLogStore;
  /** What wakes a run's log followers. */
  runChanges: RunChanges;
  engine: RunEngine;
  clusters: ClusterService;
  /** Where a pipeline's deploy tasks may deploy, checked as it is saved. */
  deployTargets: DeployTargets;
  /** The versions the chart repository holds, for the Deploy chart task dialog. */
  chartVersions: ChartVersionReader;
  triggers: DatabaseTriggerStore;
  webhooks: WebhookRegistrar;
  accounts: AccountService;
  repositories: RepositoryBrowser;
  /** Task pods' CPU and memory: a pipeline asking above a maximum is refused. */
  taskResources: TaskResourceSettings;
  /** The task types a pipeline may use: a task of another type is refused. */
  taskTypes: TaskTypeRegistry;
  /** Users' names in words, recorded by the runs they start. */
  userDisplayName: UserDisplayName;
  /** 0 means unlimited. */
  maxPipelines: number;
  /** Larger request bodies are refused with 413. */
  maxRequestBytes: number;
  /** OAuth callback requests one address may send per minute; more get 429. */
  callbackRequestsPerMinute: number;
};

/** Who did it, as an entity ref: the user, or the calling plugin for service requests. */
export function principalRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef)
    return principal.userEntityRef;
  return `service:${principal.subject ?? 'unknown'}`;
}

/** Who starts a run, with their name in words for its "Started by" line. */
export async function runStarter(
  credentials: BackstageCredentials,
  userDisplayName: UserDisplayName,
): Promise<Pick<RunTrigger, 'user' | 'userName'>> {
  const user = principalRef(credentials);
  const userName = user.startsWith('user:')
    ? await userDisplayName(user)
    : undefined;
  return userName ? { user, userName } : { user };
}

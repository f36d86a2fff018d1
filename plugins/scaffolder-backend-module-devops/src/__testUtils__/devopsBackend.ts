import type {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import {
  TestBackend,
  TestDatabases,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type {
  Pipeline,
  PipelineDocument,
  Run,
} from '@devops-pipelines/plugin-devops-common';
// Tests only (a devDependency): the actions are tested against the real devops backend.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import devopsPlugin from '@devops-pipelines/plugin-devops-backend';
import fs from 'fs';
import type { AddressInfo } from 'net';
import os from 'os';
import path from 'path';
import { createPipelineAction } from '../actions/createPipeline';
import { appLinks } from '../actions/links';
import { runPipelineAction } from '../actions/runPipeline';
import { DevopsApiClient } from '../client/DevopsApiClient';

/** The database client TestDatabases gives. */
type Knex = Awaited<ReturnType<TestDatabases['init']>>;

export const APP_BASE_URL = 'https://portal.example.com';

/** Decides a permission by its name (`devops.pipeline.create`) and the caller's ref. */
export type Policy = (permissionName: string, userRef: string) => boolean;

const allowAll: Policy = () => true;

const callerRef = (credentials: BackstageCredentials) => {
  const principal = credentials.principal as {
    userEntityRef?: string;
    subject?: string;
  };
  return principal.userEntityRef ?? `service:${principal.subject}`;
};

/**
 * The real devops backend plugin in a test backend, with the local executor (runs really
 * execute, as child processes) and a permission policy tests can swap, plus the module's
 * actions wired to its HTTP API as the scaffolder would wire them: discovery gives the
 * test server's URL, and the mock auth service issues tokens on behalf of the template's
 * user that the test backend accepts as that user.
 */
export class DevopsBackend {
  private policy: { allows: Policy } = { allows: allowAll };
  private backend?: TestBackend;
  private workspaceDir?: string;
  baseUrl = '';

  async start(knex: Knex) {
    this.workspaceDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'devops-scaffolder-test-'),
    );
    const decide = (name: string, credentials: BackstageCredentials) =>
      this.policy.allows(name, callerRef(credentials))
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    const permissions = mockServices.permissions.mock({
      authorize: (async (requests, { credentials }) =>
        requests.map(({ permission }) => ({
          result: decide(permission.name, credentials),
        }))) as PermissionsService['authorize'],
      authorizeConditional: (async (requests, { credentials }) =>
        requests.map(({ permission }) => ({
          result: decide(permission.name, credentials),
        }))) as PermissionsService['authorizeConditional'],
    });
    this.backend = await startTestBackend({
      features: [
        devopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            devops: {
              executor: {
                local: { enabled: true, workspaceDir: this.workspaceDir },
              },
              encryptionKey: 'scaffolder-module-test-key',
            },
          },
        }),
        mockServices.database.mock({ getClient: async () => knex }).factory,
        permissions.factory,
      ],
    });
    const { port } = this.backend.server.address() as AddressInfo;
    this.baseUrl = `http://127.0.0.1:${port}/api/devops`;
  }

  async stop() {
    await this.backend?.stop();
    if (this.workspaceDir) {
      fs.rmSync(this.workspaceDir, { recursive: true, force: true });
    }
  }

  /** From now on, the portal's policy decides with `policy`. */
  setPolicy(policy: Policy) {
    this.policy.allows = policy;
  }

  resetPolicy() {
    this.policy.allows = allowAll;
  }

  /** The module's actions on this backend, as the module registers them. */
  actions(options: { pollIntervalMs?: number } = {}) {
    const client = new DevopsApiClient({
      discovery: { getBaseUrl: async () => this.baseUrl },
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
    const links = appLinks(
      mockServices.rootConfig({ data: { app: { baseUrl: APP_BASE_URL } } }),
    );
    return {
      create: createPipelineAction({ client, links }),
      run: runPipelineAction({
        client,
        links,
        pollIntervalMs: options.pollIntervalMs ?? 50,
      }),
    };
  }

  /** A request to the devops API as `userRef` (as the portal's pages would make it). */
  async api<T>(
    pathAndQuery: string,
    userRef = 'user:default/mock',
  ): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.baseUrl}${pathAndQuery}`, {
      headers: {
        Authorization: `Bearer ${mockCredentials.user.token(userRef)}`,
      },
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async getPipeline(id: string) {
    const { status, body } = await this.api<Pipeline>(
      `/pipelines/${encodeURIComponent(id)}`,
    );
    if (status !== 200) throw new Error(`GET pipeline ${id} gave ${status}`);
    return body;
  }

  async getRun(id: string) {
    const { status, body } = await this.api<Run>(
      `/runs/${encodeURIComponent(id)}`,
    );
    if (status !== 200) throw new Error(`GET run ${id} gave ${status}`);
    return body;
  }

  async countPipelines(): Promise<number> {
    const { body } = await this.api<{ totalCount: number }>(
      '/pipelines?limit=1',
    );
    return body.totalCount;
  }
}

/**
 * A scaffolder action context for `input`, run by `userRef`: what the scaffolder hands
 * an action, with the outputs collected and the logger's calls recorded.
 */
export function actionContext(
  input: Record<string, any>,
  options: {
    userRef?: string;
    workspacePath?: string;
    isDryRun?: boolean;
    stepId?: string;
    checkpoints?: Map<string, unknown>;
  } = {},
): {
  ctx: ActionContext<any, any>;
  outputs: Record<string, unknown>;
  logger: jest.Mocked<LoggerService>;
} {
  const logger = mockServices.logger.mock() as jest.Mocked<LoggerService>;
  const outputs: Record<string, unknown> = {};
  // The test utils are typed against an older plugin-scaffolder-node; the context is
  // the same at runtime.
  const base = createMockActionContext({
    input,
    logger,
    ...(options.workspacePath ? { workspacePath: options.workspacePath } : {}),
  });
  const credentials = mockCredentials.user(
    options.userRef ?? 'user:default/mock',
  );
  const checkpoints = options.checkpoints;
  return {
    ctx: {
      ...(base as unknown as ActionContext<any, any>),
      input,
      isDryRun: options.isDryRun,
      step: { id: options.stepId ?? 'step', name: 'step' },
      getInitiatorCredentials: async () => credentials,
      output: (name: string, value: unknown) => {
        outputs[name] = value;
      },
      // As the scaffolder keeps them in the task's state: a retried task gets the
      // value a checkpoint returned the first time instead of running it again.
      async checkpoint<T>(opts: { key: string; fn: () => Promise<T> | T }) {
        if (checkpoints?.has(opts.key)) return checkpoints.get(opts.key) as T;
        const value = await opts.fn();
        checkpoints?.set(opts.key, value);
        return value;
      },
    },
    outputs,
    logger,
  };
}

let counter = 0;

/** A pipeline name and entity no other test uses. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`.slice(0, 63);
}

/** A small valid pipeline document with one runScript task per script. */
export function pipelineDocument(
  options: {
    name?: string;
    entityRef?: string;
    scripts?: string[];
    parameters?: PipelineDocument['spec']['parameters'];
  } = {},
): PipelineDocument {
  return {
    apiVersion: 'devops.backstage.io/v1',
    kind: 'Pipeline',
    metadata: {
      name: options.name ?? uniqueName('pipeline'),
      entityRef:
        options.entityRef ?? `component:default/${uniqueName('service')}`,
    },
    spec: {
      ...(options.parameters ? { parameters: options.parameters } : {}),
      stages: (options.scripts ?? ['echo "build ${BUILD_ID}"']).map(
        (script, index) => ({
          name: `Stage ${index + 1}`,
          order: 'sequential' as const,
          tasks: [
            {
              name: `task-${index + 1}`,
              type: 'runScript' as const,
              image: 'alpine',
              tag: '3',
              script,
            },
          ],
        }),
      ),
    },
  };
}

import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  BackstageCredentials,
  PermissionsService,
  coreServices,
  createServiceFactory,
  type BackendFeature,
} from '@backstage/backend-plugin-api';
import {
  TestBackend,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  DEVOPS_PIPELINE_RESOURCE_TYPE,
  PIPELINE_API_VERSION,
  PIPELINE_KIND,
  Pipeline,
  PipelineDocument,
  Run,
  isFinalStatus,
} from '@devops-pipelines/plugin-devops-common';
import fs from 'fs';
import { Knex } from 'knex';
import os from 'os';
import path from 'path';
import request from 'supertest';
import devopsPlugin from '../../index';
import { principalRef } from '../types';

/** The encryption key the test backends use; any passphrase works. */
export const TEST_ENCRYPTION_KEY = 'integration-test-key';

/**
 * Decides a permission by its name, e.g. `devops.pipeline.update`, and, for a policy that
 * treats callers apart, the caller: a user entity ref, or `service:<subject>`.
 */
export type PermissionDecider = (
  permissionName: string,
  caller: string,
) => PolicyDecision;

export const allow: PermissionDecider = () => ({
  result: AuthorizeResult.ALLOW,
});
export const deny: PermissionDecider = () => ({ result: AuthorizeResult.DENY });

/** A conditional decision with the IS_PIPELINE_CREATOR rule, as a policy would send it. */
export const onlyCreatedBy = (...userRefs: string[]): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'devops',
  resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
  conditions: {
    rule: 'IS_PIPELINE_CREATOR',
    resourceType: DEVOPS_PIPELINE_RESOURCE_TYPE,
    params: { userRefs },
  },
});

/** An Authorization header for a request by this user. */
export const userHeader = (userRef: string) =>
  mockCredentials.user.header(userRef);

/**
 * The devops plugin in a test backend on one test database, with the local executor
 * (runs really execute as child processes) and a permission policy tests can swap.
 */
export class DevopsTestBackend {
  private constructor(
    readonly backend: TestBackend,
    readonly workspaceDir: string,
    readonly knex: Knex,
    private readonly policy: { decide: PermissionDecider },
  ) {}

  /** `devops` is merged over the test configuration (executor and encryption key). */
  static async start(
    knex: Knex,
    options: {
      devops?: {
        limits?: {
          maxPipelines?: number;
          maxRequestBytes?: number;
          callbackRequestsPerMinute?: number;
        };
        encryptionKey?: string;
        repositories?: { allowedHosts?: string[] };
        deployTargets?: object[];
        chartRepository?: object;
        kubernetes?: { taskResources?: object; kubeconfig?: string };
        /** Replaces the local executor the test backend enables. */
        executor?: object;
      };
      /** The portal's clusters (`kubernetes:` in app-config). */
      kubernetes?: object;
      /** The portal's code host credentials (`integrations:` in app-config). */
      integrations?: object;
      /** What the catalog holds (the in-memory catalog of Backstage's test utils). */
      catalog?: Entity[];
      /** More top-level configuration, e.g. `app` for other plugins. */
      config?: Record<string, object>;
      /** More plugins and service factories, e.g. the notifications backend. */
      features?: BackendFeature[];
      /** Other plugins' own databases, by plugin id; devops gets `knex`. */
      pluginDatabases?: Record<string, Knex>;
    } = {},
  ): Promise<DevopsTestBackend> {
    const workspaceDir = fs.mkdtempSync(
      path.join(os.tmpdir(), 'devops-router-test-'),
    );
    const policy = { decide: allow };
    const decide = (name: string, credentials: BackstageCredentials) =>
      policy.decide(name, principalRef(credentials));
    const permissions = mockServices.permissions.mock({
      authorize: (async (requests, { credentials }) =>
        requests.map(({ permission }) => {
          const decision = decide(permission.name, credentials);
          // A basic permission has no resource to apply conditions to.
          return {
            result:
              decision.result === AuthorizeResult.ALLOW
                ? AuthorizeResult.ALLOW
                : AuthorizeResult.DENY,
          };
        })) as PermissionsService['authorize'],
      authorizeConditional: (async (requests, { credentials }) =>
        requests.map(({ permission }) =>
          decide(permission.name, credentials),
        )) as PermissionsService['authorizeConditional'],
    });
    const backend = await startTestBackend({
      features: [
        devopsPlugin,
        mockServices.rootConfig.factory({
          data: {
            devops: {
              executor: { local: { enabled: true, workspaceDir } },
              encryptionKey: TEST_ENCRYPTION_KEY,
              ...options.devops,
            },
            ...(options.integrations
              ? { integrations: options.integrations }
              : {}),
            ...(options.kubernetes ? { kubernetes: options.kubernetes } : {}),
            ...options.config,
          },
        }),
        createServiceFactory({
          service: coreServices.database,
          deps: { plugin: coreServices.pluginMetadata },
          factory: ({ plugin }) => {
            const client = options.pluginDatabases?.[plugin.getId()] ?? knex;
            return { getClient: async () => client };
          },
        }),
        catalogServiceMock.factory({ entities: options.catalog ?? [] }),
        permissions.factory,
        ...(options.features ?? []),
      ],
    });
    return new DevopsTestBackend(backend, workspaceDir, knex, policy);
  }

  async stop() {
    await this.backend.stop();
    fs.rmSync(this.workspaceDir, { recursive: true, force: true });
  }

  /** Every permission check from now on goes through `decider`. */
  setPermissions(decider: PermissionDecider) {
    this.policy.decide = decider;
  }

  resetPermissions() {
    this.policy.decide = allow;
  }

  /** A supertest agent on the test backend's server. */
  get http() {
    return request(this.backend.server);
  }

  /** The URL of the plugin's API on the listening server, for raw HTTP clients. */
  get baseUrl(): string {
    const address = this.backend.server.address();
    if (!address || typeof address === 'string') {
      throw new Error('The test backend is not listening on a TCP port');
    }
    return `http://127.0.0.1:${address.port}/api/devops`;
  }

  async createPipeline(
    document: PipelineDocument,
    user?: string,
  ): Promise<Pipeline> {
    const req = this.http.post('/api/devops/pipelines');
    if (user) req.set('Authorization', userHeader(user));
    const res = await req.send(document);
    if (res.status !== 201) {
      throw new Error(
        `Creating a pipeline gave ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  async startRun(
    pipelineId: string,
    params?: Record<string, string>,
  ): Promise<Run> {
    const res = await this.http
      .post(`/api/devops/pipelines/${pipelineId}/runs`)
      .send(params ? { params } : {});
    if (res.status !== 201) {
      throw new Error(
        `Starting a run gave ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  async getRun(runId: string): Promise<Run> {
    const res = await this.http.get(`/api/devops/runs/${runId}`);
    if (res.status !== 200) {
      throw new Error(
        `Reading run ${runId} gave ${res.status}: ${JSON.stringify(res.body)}`,
      );
    }
    return res.body;
  }

  /** Polls the run until `done` holds for it; fails with the last state seen on timeout. */
  async waitForRun(
    runId: string,
    done: (run: Run) => boolean = run => isFinalStatus(run.status),
    timeoutMs = 20_000,
  ): Promise<Run> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await this.getRun(runId);
      if (done(run)) return run;
      if (Date.now() > deadline) {
        throw new Error(
          `Run ${runId} did not reach the expected state within ${timeoutMs} ms; last seen: ${JSON.stringify(
            run,
          )}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  /** Polls the stored log of a run until it holds `text`. */
  async waitForLog(runId: string, text: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    let seen = '';
    for (;;) {
      const res = await this.http.get(`/api/devops/runs/${runId}/logs`);
      if (res.status !== 200) {
        throw new Error(`Reading the log of ${runId} gave ${res.status}`);
      }
      seen = (res.body.items as Array<{ text: string }>)
        .map(chunk => chunk.text)
        .join('');
      if (seen.includes(text)) return;
      if (Date.now() > deadline) {
        throw new Error(
          `The log of run ${runId} did not show "${text}" within ${timeoutMs} ms; it holds: ${seen}`,
        );
      }
      await new Promise(resolve => setTimeout(resolve, 50));
    }
  }

  /** The full log of a run as the download gives it. */
  async downloadLog(runId: string): Promise<string> {
    const res = await this.http
      .get(`/api/devops/runs/${runId}/logs/download`)
      .buffer(true)
      .parse(collectText);
    if (res.status !== 200) {
      throw new Error(`Downloading the log of ${runId} gave ${res.status}`);
    }
    return res.body;
  }
}

/** A supertest parser that keeps any body (event streams, downloads) as text. */
export function collectText(
  res: request.Response,
  callback: (error: Error | null, body: string) => void,
) {
  // Superagent hands parsers the raw incoming message, a readable stream.
  const stream = res as unknown as NodeJS.ReadableStream;
  let text = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    text += chunk;
  });
  stream.on('end', () => callback(null, text));
  stream.on('error', error => callback(error as Error, text));
}

export type ServerSentEvent = { id?: string; event?: string; data: string };

/** Splits a text/event-stream body into its events (comments dropped). */
export function parseEventStream(text: string): ServerSentEvent[] {
  return text
    .split('\n\n')
    .filter(block => block.trim() && !block.startsWith(':'))
    .map(block => {
      const event: ServerSentEvent = { data: '' };
      const data: string[] = [];
      for (const line of block.split('\n')) {
        const colon = line.indexOf(':');
        if (colon <= 0) continue;
        const field = line.slice(0, colon);
        const value = line.slice(colon + 1).replace(/^ /, '');
        if (field === 'id') event.id = value;
        else if (field === 'event') event.event = value;
        else if (field === 'data') data.push(value);
      }
      event.data = data.join('\n');
      return event;
    });
}

let counter = 0;

/** A name no other test uses, so tests sharing a backend do not see each other's rows. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${process.pid}-${counter}`.slice(0, 63);
}

/** A small valid pipeline document with one runScript task per script. */
export function pipelineDocument(
  options: {
    name?: string;
    title?: string;
    entityRef?: string;
    scripts?: string[];
    parameters?: PipelineDocument['spec']['parameters'];
    triggers?: PipelineDocument['spec']['triggers'];
    timeoutMinutes?: number;
  } = {},
): PipelineDocument {
  const scripts = options.scripts ?? [
    'echo "hello from ${PIPELINE_NAME} #${BUILD_ID}"',
  ];
  return {
    apiVersion: PIPELINE_API_VERSION,
    kind: PIPELINE_KIND,
    metadata: {
      name: options.name ?? uniqueName('pipeline'),
      ...(options.title ? { title: options.title } : {}),
      entityRef:
        options.entityRef ?? `component:default/${uniqueName('entity')}`,
    },
    spec: {
      ...(options.parameters ? { parameters: options.parameters } : {}),
      stages: scripts.map((script, index) => ({
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
      })),
      ...(options.triggers ? { triggers: options.triggers } : {}),
      ...(options.timeoutMinutes !== undefined
        ? { timeoutMinutes: options.timeoutMinutes }
        : {}),
    },
  };
}

/** The pipeline document of an API pipeline, as a client sends it back with PUT. */
export function documentOf(pipeline: Pipeline): PipelineDocument {
  const { status: _status, ...document } = pipeline;
  return document;
}

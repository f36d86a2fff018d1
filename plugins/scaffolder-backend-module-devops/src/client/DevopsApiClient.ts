import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import {
  AuthenticationError,
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  Page,
  Pipeline,
  PipelineDocument,
  Run,
} from '@devops-pipelines/plugin-devops-common';

/** The plugin id the devops backend is mounted under (`/api/devops`). */
export const DEVOPS_PLUGIN_ID = 'devops';

/**
 * The few routes of the devops backend's HTTP API the template actions use, called as
 * the user who runs the template: every request carries a token the auth service issues
 * on behalf of the task's initiator, so the devops backend checks that user's
 * permissions as it would for the pipeline pages.
 */
export class DevopsApiClient {
  constructor(
    private readonly options: {
      discovery: Pick<DiscoveryService, 'getBaseUrl'>;
      auth: Pick<AuthService, 'getPluginRequestToken'>;
    },
  ) {}

  /**
   * `POST /pipelines`, or `POST /pipelines/import` when the document has secret
   * parameters without a value: the API's way of creating a pipeline whose secrets its
   * owner sets later (its runs are refused until then).
   */
  async createPipeline(
    credentials: BackstageCredentials,
    document: PipelineDocument,
    options: { secretsLater?: boolean } = {},
  ): Promise<Pipeline> {
    return this.request<Pipeline>(credentials, {
      method: 'POST',
      path: options.secretsLater ? '/pipelines/import' : '/pipelines',
      // JSON is YAML: the import route reads `{"yaml": "..."}` as well.
      body: options.secretsLater
        ? { yaml: JSON.stringify(document) }
        : document,
      doing: `create pipeline "${document.metadata.name}" for ${document.metadata.entityRef}`,
    });
  }

  /** The entity's pipeline with exactly this name, if the user may see it. */
  async findPipeline(
    credentials: BackstageCredentials,
    entityRef: string,
    name: string,
  ): Promise<Pipeline | undefined> {
    const query = new URLSearchParams({ entityRef, q: name, limit: '200' });
    const page = await this.request<Page<Pipeline>>(credentials, {
      method: 'GET',
      path: `/pipelines?${query}`,
      doing: `list the pipelines of ${entityRef}`,
    });
    return page.items.find(p => p.metadata.name === name);
  }

  /** `POST /pipelines/:id/runs` with `{params}`. */
  async startRun(
    credentials: BackstageCredentials,
    pipelineId: string,
    params: Record<string, string>,
  ): Promise<Run> {
    return this.request<Run>(credentials, {
      method: 'POST',
      path: `/pipelines/${encodeURIComponent(pipelineId)}/runs`,
      body: { params },
      doing: `run pipeline ${pipelineId}`,
      notFound: `No pipeline with id ${pipelineId}, or the portal's permission policy does not let you see it`,
    });
  }

  /** `GET /runs/:id`. */
  async getRun(credentials: BackstageCredentials, runId: string): Promise<Run> {
    return this.request<Run>(credentials, {
      method: 'GET',
      path: `/runs/${encodeURIComponent(runId)}`,
      doing: `read run ${runId}`,
    });
  }

  private async request<T>(
    credentials: BackstageCredentials,
    request: {
      method: 'GET' | 'POST';
      path: string;
      body?: unknown;
      /** What the user asked for, for the messages: "run pipeline 42". */
      doing: string;
      /** The message of a 404, where the API's own would not say enough. */
      notFound?: string;
    },
  ): Promise<T> {
    const baseUrl = await this.options.discovery.getBaseUrl(DEVOPS_PLUGIN_ID);
    const { token } = await this.options.auth.getPluginRequestToken({
      onBehalfOf: credentials,
      targetPluginId: DEVOPS_PLUGIN_ID,
    });
    const url = `${baseUrl}${request.path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method: request.method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(request.body !== undefined
            ? { 'Content-Type': 'application/json' }
            : {}),
        },
        body:
          request.body !== undefined ? JSON.stringify(request.body) : undefined,
      });
    } catch (error) {
      throw new Error(
        `Could not reach the devops backend at ${baseUrl} to ${
          request.doing
        }: ${(error as Error).message}`,
      );
    }
    if (response.ok) return (await response.json()) as T;
    throw await toError(response, request);
  }
}

/** The message of a Backstage error body (`{error: {name, message}}`), else the text. */
async function messageOf(response: Response): Promise<string> {
  const text = await response.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    const message = body?.error?.message;
    if (typeof message === 'string' && message) return message;
  } catch {
    // not JSON: the text itself
  }
  return text.trim() || response.statusText || 'no message';
}

/** The API's answer as an error that says what was refused and why, in its words. */
async function toError(
  response: Response,
  request: { method: string; path: string; doing: string; notFound?: string },
): Promise<Error> {
  const message = await messageOf(response);
  switch (response.status) {
    case 400:
      return new InputError(
        `The devops backend refused to ${request.doing}: ${message}`,
      );
    case 401:
      return new AuthenticationError(
        `The devops backend did not accept the credentials of the user who runs the template (${message})`,
      );
    case 403:
      return new NotAllowedError(
        `The portal's permission policy does not let you ${request.doing}: ${message}`,
      );
    case 404:
      return new NotFoundError(request.notFound ?? message);
    case 409:
      return new ConflictError(message);
    default:
      return new Error(
        `The devops backend answered ${response.status} to ${request.method} ${
          request.path.split('?')[0]
        } (${request.doing}): ${message}`,
      );
  }
}

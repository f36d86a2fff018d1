import type { JsonObject } from '@backstage/types';
import path from 'path';
import { eventually } from '../../kubernetes/__testUtils__/testCluster';
import { TEST_ENCRYPTION_KEY } from '../../router/__testUtils__/devopsTestBackend';
import type { startWholeStackBackend } from './wholeStackBackend';

type Stack = Awaited<ReturnType<typeof startWholeStackBackend>>;

const ROOT = path.resolve(__dirname, '../../../../..');
/** An admin of the demo's catalog (examples/org.yaml). */
export const ADA = 'user:default/ada';

/**
 * The demo portal's catalog (examples/) and admin group, with the local executor, and
 * `devops` merged over that: the configuration of the process tests about runs.
 */
export function demoPortalConfig(options: {
  workspaceDir: string;
  devops?: JsonObject;
}): JsonObject {
  return {
    catalog: {
      rules: [{ allow: ['Component', 'Group', 'User', 'Location'] }],
      locations: ['org.yaml', 'entities.yaml'].map(file => ({
        type: 'file',
        target: path.join(ROOT, 'examples', file),
      })),
    },
    devops: {
      encryptionKey: TEST_ENCRYPTION_KEY,
      executor: {
        type: 'local',
        local: { enabled: true, workspaceDir: options.workspaceDir },
      },
      permissions: { adminGroups: ['group:default/platform-admins'] },
      ...options.devops,
    },
  };
}

/** An answer of the DevOps API: its status and its JSON body ({} when empty). */
export type Reply = { status: number; body: any };

/** A client of the DevOps API of `stack` that sends `token`. */
export function devopsClient(stack: Stack, token: string) {
  return async (
    method: string,
    route: string,
    body?: unknown,
  ): Promise<Reply> => {
    const response = await fetch(`${stack.baseUrl}/api/devops${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : {} };
  };
}

/**
 * A client of the DevOps API as ada, once the catalog made her an admin; it gives the
 * body of a 2xx answer and throws on any other, with the body.
 */
export async function adminClient(stack: Stack) {
  const token = await eventually(
    'ada as an admin in the catalog',
    async () => {
      const identity = await stack.signIn(ADA).catch(() => undefined);
      return identity?.ownershipEntityRefs.includes(
        'group:default/platform-admins',
      )
        ? identity.token
        : undefined;
    },
    { timeoutMs: 60_000, intervalMs: 500 },
  );
  const send = devopsClient(stack, token);
  return async (method: string, route: string, body?: unknown) => {
    const reply = await send(method, route, body);
    if (reply.status >= 300) {
      throw new Error(
        `${method} ${route}: ${reply.status} ${JSON.stringify(reply.body)}`,
      );
    }
    return reply.body;
  };
}

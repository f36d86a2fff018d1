import type { JsonObject } from '@backstage/types';
import { spawn } from 'child_process';
import fs from 'fs';
import { createServer } from 'net';
import os from 'os';
import path from 'path';
import { stringify as toYaml } from 'yaml';
import { STAND_IN_USER_HEADER } from './standInSignIn';

const ROOT = path.resolve(__dirname, '../../../../..');
const MAIN = path.join(__dirname, 'wholeStackMain.ts');
/** A cold start compiles the plugin's sources first; leave room for a busy machine. */
const START_TIMEOUT_MS = 120_000;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise(resolve => server.close(resolve));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/**
 * Starts the portal as an adopter installs it, as a real backend process (node, as
 * `yarn start` runs packages/backend): the auth backend, the catalog, the events backend
 * with its GitHub and GitLab ingresses, the permission backend with the default policy
 * and the devops plugin, on an in-memory SQLite, with Backstage's own auth, permission
 * and user info services. Only sign-in is a stand-in (wholeStackMain.ts). `config` is
 * merged over the process's base configuration.
 */
export async function startWholeStackBackend(
  config: JsonObject,
  options: {
    /** `backend.database`; default: an in-memory SQLite, gone with the process. */
    database?: JsonObject;
  } = {},
) {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-whole-stack-'));
  const configPath = path.join(dir, 'app-config.yaml');
  fs.writeFileSync(
    configPath,
    toYaml({
      app: { baseUrl: 'http://localhost:3000' },
      backend: {
        baseUrl,
        listen: { port },
        database: options.database ?? {
          client: 'better-sqlite3',
          connection: ':memory:',
        },
      },
      auth: { providers: { 'stand-in': {} } },
      permission: { enabled: true },
      ...config,
    }),
  );
  const logPath = path.join(dir, 'backend.log');
  const log = fs.openSync(logPath, 'w');
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      MAIN,
      '--config',
      configPath,
    ],
    {
      cwd: ROOT,
      stdio: ['ignore', log, log],
      // The process's own Node options: not jest's (--experimental-vm-modules).
      env: { ...process.env, NODE_OPTIONS: '', NODE_ENV: 'production' },
    },
  );
  const exited = new Promise<number | null>(resolve =>
    child.once('exit', code => resolve(code)),
  );
  const logTail = () =>
    fs.readFileSync(logPath, 'utf8').split('\n').slice(-30).join('\n');

  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    child.kill(signal);
    const killed = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(killed);
    fs.closeSync(log);
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const up = await fetch(`${baseUrl}/.backstage/health/v1/readiness`)
      .then(response => response.ok)
      .catch(() => false);
    if (up) break;
    if (child.exitCode !== null || Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(
        `The whole-stack backend did not start (exit code ${child.exitCode}); its log ends:\n${tail}`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 500));
  }

  /** Signs `userRef` in and returns the Backstage token the auth backend issued. */
  const signIn = async (userRef: string) => {
    const response = await fetch(`${baseUrl}/api/auth/stand-in/refresh`, {
      headers: { [STAND_IN_USER_HEADER]: userRef },
    });
    const body = await response.json();
    if (!response.ok) {
      throw new Error(
        `Signing in ${userRef} gave HTTP ${response.status}: ${JSON.stringify(
          body,
        )}`,
      );
    }
    return {
      token: body.backstageIdentity.token as string,
      ownershipEntityRefs: body.backstageIdentity.identity
        .ownershipEntityRefs as string[],
    };
  };

  return { baseUrl, signIn, stop, logTail };
}

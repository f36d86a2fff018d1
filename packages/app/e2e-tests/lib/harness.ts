/*
 * Shared setup of the browser tests: Debian's Chromium driven by playwright-core, the guest
 * sign-in, the DevOps API with the page's own token, screenshots and timings.
 *
 * The tests run with node's built-in test runner (see scripts/browser-test.sh) against a
 * portal started by README command 1 (scripts/start.sh).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const FRONTEND_URL = process.env.E2E_FRONTEND_URL ?? 'http://localhost:3000';
export const BACKEND_URL = process.env.E2E_BACKEND_URL ?? 'http://localhost:7007';
export const API_URL = `${BACKEND_URL}/api/devops`;
export const DOCS_DIR =
  process.env.E2E_DOCS_DIR ?? path.resolve(__dirname, '../../../../docs');
const CHROMIUM = process.env.E2E_CHROMIUM ?? '/usr/bin/chromium';
/** Where timings are appended as JSON lines, for the summary of scripts/browser-test.sh. */
const TIMINGS_FILE = process.env.E2E_TIMINGS_FILE;

export const ENTITY_REF = 'component:default/jack-2048';
export const ENTITY_TAB = '/catalog/default/component/jack-2048/pipelines';

/** A name unique to this test run, valid as a pipeline name ([a-z0-9-]{1,63}). */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}${Math.floor(Math.random() * 1296)
    .toString(36)
    .padStart(2, '0')}`;
}

/** Prints a measured duration so that it stands out in the test output. */
export function reportTiming(name: string, ms: number, note = ''): void {
  const line = `TIMING ${name}: ${Math.round(ms)} ms${note ? ` (${note})` : ''}`;
  // eslint-disable-next-line no-console
  console.log(line);
  if (TIMINGS_FILE) {
    fs.appendFileSync(
      TIMINGS_FILE,
      `${JSON.stringify({ name, ms: Math.round(ms), note })}\n`,
    );
  }
}

export type Session = {
  context: BrowserContext;
  page: Page;
  /** The Backstage token the signed-in page sends to the backend. */
  token(): Promise<string>;
  /** Calls the DevOps API as the signed-in guest; throws on an unexpected status. */
  api<T = any>(
    method: string,
    route: string,
    body?: unknown,
    options?: { contentType?: string; expect?: number[] },
  ): Promise<T>;
  close(): Promise<void>;
};

/**
 * Launches Chromium with a fresh profile and the flags that keep it off the (closed)
 * network, and signs in as guest.
 */
export async function openSession(): Promise<Session> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'devops-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 900 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  context.setDefaultTimeout(20_000);
  context.setDefaultNavigationTimeout(60_000);
  const page = context.pages()[0] ?? (await context.newPage());

  // The page's own token, as it sends it to the backend.
  let lastToken: string | undefined;
  context.on('request', request => {
    const auth = request.headers().authorization;
    if (auth?.startsWith('Bearer ') && request.url().startsWith(BACKEND_URL)) {
      lastToken = auth.slice('Bearer '.length);
    }
  });
  // Surface errors of the app in the test output.
  page.on('pageerror', error =>
    // eslint-disable-next-line no-console
    console.log(`[page error] ${error.message}`),
  );

  try {
    await signIn(page);
  } catch (error) {
    // Leave nothing running: an open browser keeps the test process alive.
    await page
      .screenshot({ path: path.join(os.tmpdir(), 'devops-e2e-sign-in-failure.png') })
      .catch(() => {});
    await context.close().catch(() => {});
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }

  const token = async () => {
    if (lastToken) return lastToken;
    // The same refresh the app's identity API does, with the page's session cookie.
    const response = await context.request.get(
      `${BACKEND_URL}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    const body = await response.json();
    lastToken = body?.backstageIdentity?.token;
    if (!lastToken) {
      throw new Error(`no token from the guest refresh: ${JSON.stringify(body)}`);
    }
    return lastToken;
  };

  const api: Session['api'] = async (method, route, body, options = {}) => {
    const contentType = options.contentType ?? 'application/json';
    const response = await context.request.fetch(`${API_URL}${route}`, {
      method,
      headers: {
        Authorization: `Bearer ${await token()}`,
        ...(body !== undefined ? { 'Content-Type': contentType } : {}),
      },
      data: typeof body === 'string' || body === undefined ? body : JSON.stringify(body),
    });
    const expected = options.expect ?? [200, 201, 202, 204];
    const text = await response.text();
    if (!expected.includes(response.status())) {
      throw new Error(
        `${method} ${route}: HTTP ${response.status()} (expected ${expected.join(
          '/',
        )}): ${text.slice(0, 500)}`,
      );
    }
    return (text ? JSON.parse(text) : undefined) as any;
  };

  return {
    context,
    page,
    token,
    api,
    close: async () => {
      await context.close();
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the app and clicks through the guest sign-in page. Tried again when the backend
 * does not answer the sign-in (it restarts when its code changes in development).
 */
export async function signIn(page: Page, attempts = 3): Promise<void> {
  // A failed guest sign-in asks whether to fall back to a legacy token: say no.
  page.on('dialog', dialog => dialog.dismiss().catch(() => {}));
  for (let attempt = 1; ; attempt++) {
    try {
      await page.goto(FRONTEND_URL);
      const enter = page.getByRole('button', { name: 'Enter' });
      // The app's sidebar is there once signed in.
      const signedIn = page.getByTestId('sidebar-root');
      await enter.or(signedIn).first().waitFor({ timeout: 90_000 });
      if (await enter.isVisible()) {
        await enter.click();
      }
      await signedIn.first().waitFor({ state: 'attached', timeout: 30_000 });
      return;
    } catch (error) {
      if (attempt >= attempts) throw error;
      // eslint-disable-next-line no-console
      console.log(`sign-in attempt ${attempt} failed (${String(error).split('\n')[0]}); trying again`);
      await page.waitForTimeout(5_000);
    }
  }
}

/**
 * Goes to an app path (starting with /). Once the app is loaded this is a client-side
 * navigation (as following a link is), which spares reloading the development bundle;
 * `reload` forces a full page load.
 */
export async function gotoApp(
  page: Page,
  appPath: string,
  options: { reload?: boolean } = {},
): Promise<void> {
  const loaded =
    page.url().startsWith(FRONTEND_URL) &&
    (await page.getByTestId('sidebar-root').count()) > 0;
  if (options.reload || !loaded) {
    await page.goto(`${FRONTEND_URL}${appPath}`);
    return;
  }
  await page.evaluate(target => {
    window.history.pushState({}, '', target);
    window.dispatchEvent(new PopStateEvent('popstate', { state: {} }));
  }, appPath);
  await page.waitForURL(url => `${url.pathname}${url.search}` === appPath);
}

/** Saves a screenshot of the page's viewport into docs/. */
export async function screenshot(page: Page, file: string): Promise<void> {
  fs.mkdirSync(DOCS_DIR, { recursive: true });
  // Let transient toasts and spinners settle, and move the mouse out of the way.
  await page.mouse.move(1390, 890);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(DOCS_DIR, file) });
}

/** Polls `check` until it returns a truthy value or the timeout passes. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined | false | null>,
  timeoutMs = 30_000,
  intervalMs = 250,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}${
          lastError ? `: ${String(lastError)}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs));
  }
}

/** A pipeline document for the API, with one runScript task per entry of `scripts`. */
export function pipelineDocument(
  name: string,
  stages: { name: string; tasks: { name: string; script: string }[] }[],
  extra: { title?: string; timeoutMinutes?: number; entityRef?: string } = {},
) {
  return {
    apiVersion: 'devops.backstage.io/v1',
    kind: 'Pipeline',
    metadata: {
      name,
      ...(extra.title ? { title: extra.title } : {}),
      entityRef: extra.entityRef ?? ENTITY_REF,
    },
    spec: {
      stages: stages.map(stage => ({
        name: stage.name,
        tasks: stage.tasks.map(task => ({
          name: task.name,
          type: 'runScript',
          image: 'alpine',
          tag: '3.20',
          script: task.script,
        })),
      })),
      timeoutMinutes: extra.timeoutMinutes ?? 5,
    },
  };
}

/** Deletes pipelines this test created; ignores ones that are already gone. */
export async function deletePipelines(session: Session, ids: string[]) {
  for (const id of ids) {
    await session
      .api('DELETE', `/pipelines/${encodeURIComponent(id)}`, undefined, {
        expect: [200, 204, 404],
      })
      .catch(() => {});
  }
}

/* Helpers for the run page (`<base>/runs/:runId`). */
import type { Page } from 'playwright-core';
import { API_URL, eventually, type Session } from './harness';

export const FINAL_STATUSES = ['succeeded', 'failed', 'stopped', 'timedOut', 'skipped'];

const LABELS: Record<string, string> = {
  queued: 'queued',
  'waiting for resources': 'waiting',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  stopped: 'stopped',
  skipped: 'skipped',
  'timed out': 'timedOut',
};

/**
 * The run status the page shows, as the API spells it: the `data-status` of
 * `run-status`, or its text ("Timed out" → timedOut).
 */
export async function shownRunStatus(page: Page): Promise<string | undefined> {
  const element = page.getByTestId('run-status').first();
  if (!(await element.count())) return undefined;
  const attribute = await element.getAttribute('data-status');
  if (attribute) return attribute;
  const text = ((await element.textContent()) ?? '').trim().toLowerCase();
  for (const [label, status] of Object.entries(LABELS)) {
    if (text.includes(label)) return status;
  }
  return text;
}

/** Waits until the page shows the run in `status` (an API status name). */
export async function waitForShownStatus(
  page: Page,
  status: string | string[],
  timeoutMs = 60_000,
): Promise<string> {
  const wanted = Array.isArray(status) ? status : [status];
  let last: string | undefined;
  return eventually(
    `the run page to show status ${wanted.join(' or ')} (shows ${last})`,
    async () => {
      last = await shownRunStatus(page);
      return last && wanted.includes(last) ? last : undefined;
    },
    timeoutMs,
  );
}

/** Waits until the API reports the run as finished and returns it. */
export async function waitForRunEnd(session: Session, runId: string, timeoutMs = 60_000) {
  return eventually(
    `run ${runId} to finish`,
    async () => {
      const run = await session.api('GET', `/runs/${encodeURIComponent(runId)}`);
      return FINAL_STATUSES.includes(run.status) ? run : undefined;
    },
    timeoutMs,
  );
}

/** The text of the run's live log on the page. */
export async function shownLog(page: Page): Promise<string> {
  return (await page.getByTestId('run-log').first().textContent()) ?? '';
}

/**
 * Records, inside the page, the moment each of `markers` first appears in the run log
 * (a MutationObserver, so the time is when the DOM changed, not when the test polled).
 * Install before navigating: it lives in an init script.
 */
export async function watchLogForMarkers(page: Page, markers: string[]): Promise<void> {
  // In the current document (client-side navigation) and in any that loads later.
  await page.evaluate(observeMarkers, markers);
  await page.addInitScript(observeMarkers, markers);
}

function observeMarkers(wanted: string[]) {
  const seen: Record<string, number> = {};
  (window as any).__e2eMarkersSeen = seen;
  const check = () => {
    const log = document.querySelector('[data-testid="run-log"]');
    if (!log) return;
    const text = log.textContent ?? '';
    const now = performance.timeOrigin + performance.now();
    for (const marker of wanted) {
      if (!(marker in seen) && text.includes(marker)) seen[marker] = now;
    }
  };
  const start = () => {
    new MutationObserver(check).observe(document.documentElement, {
      childList: true,
      subtree: true,
      characterData: true,
    });
    check();
  };
  if (document.documentElement) start();
  else document.addEventListener('DOMContentLoaded', start);
}

/** Epoch milliseconds at which each marker appeared on the page (see watchLogForMarkers). */
export async function markersSeen(page: Page): Promise<Record<string, number>> {
  return page.evaluate(() => ({ ...((window as any).__e2eMarkersSeen ?? {}) }));
}

/**
 * The timestamps the backend gave the log lines that hold each marker (lines are
 * `<ISO time> <text>`), read from the run's full log.
 */
export async function lineTimes(
  session: Session,
  runId: string,
  markers: string[],
): Promise<Record<string, number>> {
  const response = await session.context.request.get(
    `${API_URL}/runs/${encodeURIComponent(runId)}/logs/download`,
    { headers: { Authorization: `Bearer ${await session.token()}` } },
  );
  const text = await response.text();
  const times: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const match = line.match(/(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) (.*)$/);
    if (!match) continue;
    for (const marker of markers) {
      if (!(marker in times) && match[2].includes(marker)) {
        times[marker] = Date.parse(match[1]);
      }
    }
  }
  return times;
}

/** The fixed part of a run page's path under a DevOps base path. */
export const runPath = (base: string, runId: string) =>
  `${base}/runs/${encodeURIComponent(runId)}`;

import { setTimeout as delay } from 'node:timers/promises';
import type { Watch } from '@kubernetes/client-node';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export type KeepWatchingOptions<T> = {
  /** The client to watch with, asked for before each watch request. */
  watch(): Promise<Watch>;
  /** The collection's API path, e.g. `/api/v1/namespaces/ns/pods`. */
  path: string;
  fieldSelector?: string;
  labelSelector?: string;
  /** The same collection listed with the same selectors. */
  list(): Promise<{ items: T[]; metadata?: { resourceVersion?: string } }>;
  onObject(type: WatchEventType, object: T): void;
  /** A list or watch failed; `failingForMs` is how long they have failed in a row. */
  onError(error: unknown, failingForMs: number): void;
  signal: AbortSignal;
  /** Pause between attempts after a failure. Default: 1 s. */
  retryMs?: number;
};

/**
 * Follows a collection for as long as `signal` is not aborted: lists it (so nothing
 * that happened before is missed), then watches from the list's resourceVersion, and
 * starts over when the server ends the watch (it does every few minutes, or with 410
 * Gone when the version is too old). Consumers see objects again after a re-list and
 * must treat them idempotently.
 */
export async function keepWatching<T>(options: KeepWatchingOptions<T>): Promise<void> {
  const { signal } = options;
  let failingSince: number | undefined;
  while (!signal.aborted) {
    try {
      const list = await options.list();
      failingSince = undefined;
      for (const item of list.items) options.onObject('ADDED', item);
      await watchOnce(options, list.metadata?.resourceVersion);
    } catch (error) {
      if (signal.aborted) return;
      failingSince ??= Date.now();
      options.onError(error, Date.now() - failingSince);
      // An abort ends the pause early; the loop then sees it.
      await delay(options.retryMs ?? 1000, undefined, { signal }).catch(() => {});
    }
  }
}

/** One watch request; resolves when the server closes it, rejects when it fails. */
function watchOnce<T>(options: KeepWatchingOptions<T>, resourceVersion?: string): Promise<void> {
  const { signal } = options;
  return new Promise<void>((resolve, reject) => {
    let controller: AbortController | undefined;
    const onAbort = () => {
      controller?.abort();
      resolve();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    const finish = (error?: unknown) => {
      signal.removeEventListener('abort', onAbort);
      if (error && !signal.aborted) reject(error);
      else resolve();
    };
    const { fieldSelector, labelSelector } = options;
    options
      .watch()
      .then(watch =>
        watch.watch(
          options.path,
          { fieldSelector, labelSelector, resourceVersion, allowWatchBookmarks: true },
        (type, object) => {
          if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
            options.onObject(type, object as T);
          } else if (type === 'ERROR') {
            // Usually 410 Gone: the version is too old. Listing again starts afresh.
            controller?.abort();
            finish();
          }
        },
          error => finish(error ?? undefined),
        ),
      )
      .then(
        started => {
          controller = started;
          if (signal.aborted) started.abort();
        },
        error => finish(error),
      );
  });
}

import type { CoreV1Event } from '@kubernetes/client-node';
import type { TaskLog } from '../types';

type Time = Date | string | undefined | null;

const iso = (time: Time) => (time ? new Date(time).toISOString() : undefined);

/**
 * Copies the scheduler's and the kubelet's events about a pod into the task's log, each
 * once (an event repeated by the kubelet is logged again with its new count), with the
 * time it happened, so a user sees Scheduled, Pulling, FailedScheduling, BackOff...
 * without kubectl (SPEC §3).
 */
export class PodEventLog {
  readonly #seen = new Set<string>();

  constructor(private readonly log: TaskLog) {}

  add(event: CoreV1Event) {
    const time = iso(event.lastTimestamp) ?? iso(event.eventTime) ?? iso(event.firstTimestamp) ??
      iso(event.metadata?.creationTimestamp);
    const count = event.count ?? event.series?.count ?? 1;
    const key = `${event.metadata?.uid ?? event.metadata?.name}/${count}/${time}`;
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    const from = event.source?.component ?? event.reportingComponent;
    this.log.platform(
      event.type === 'Warning' ? 'Warning' : 'Normal',
      `${event.reason ?? 'Event'}${count > 1 ? ` (x${count})` : ''} at ${time ?? 'unknown time'}${
        from ? ` from ${from}` : ''
      }: ${event.message ?? ''}`.trim(),
    );
  }
}

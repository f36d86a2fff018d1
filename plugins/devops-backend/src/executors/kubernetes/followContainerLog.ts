import { Writable } from 'stream';
import type { Log } from '@kubernetes/client-node';
import { z } from 'zod';

/** `2026-11-30T06:31:02.123456789Z text`: what the API server sends with `timestamps`. */
const STAMPED_LINE = /^(\d{4}-\d\d-\d\dT[^ ]+Z) (.*)$/s;

export type FollowLogOptions = {
  logApi: Log;
  namespace: string;
  pod: string;
  container: string;
  /** Each line of the container's output, with its newline, and the position after it. */
  onOutput(text: string, position?: LogPosition): void;
  signal: AbortSignal;
  /** Where an earlier follow of the same container stopped. */
  after?: LogPosition;
  /**
   * False reads what the container wrote so far and ends: the last read once the pod
   * status says the container ended (some kubelets, and kwok, keep a follow open).
   */
  follow?: boolean;
};

/**
 * The last line delivered: its timestamp, and how many lines carried that very stamp
 * (lines written together can share one).
 */
export type LogPosition = { stamp: string; count: number };

const logMarkSchema = z.object({
  container: z.string(),
  position: z.object({ stamp: z.string(), count: z.number().int().positive() }),
});

/** A container's log position, as a mark stored with the task log (`TaskLog.output`). */
export type LogMark = z.infer<typeof logMarkSchema>;

export const logMark = (mark: LogMark): string => JSON.stringify(mark);

/** The mark read back; anything else (another executor's, or none) reads as no mark. */
export function parseLogMark(mark: string | undefined): LogMark | undefined {
  if (!mark) return undefined;
  try {
    const parsed = logMarkSchema.safeParse(JSON.parse(mark));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Streams a container's log until the container ends, the connection drops, or `signal`
 * is aborted. Lines are requested with timestamps, so that after a dropped connection or
 * an abort the caller can read again from the last line delivered (returned) without
 * repeating it; a line cut by an abort is left for that next read.
 */
export async function followContainerLog(
  options: FollowLogOptions,
): Promise<LogPosition | undefined> {
  const skip = options.after;
  let skipped = 0;
  let last = options.after;
  let partial = '';
  const deliver = (line: string) => {
    const match = STAMPED_LINE.exec(line);
    if (!match) {
      options.onOutput(`${line}\n`, last);
      return;
    }
    const [, stamp, text] = match;
    if (skip) {
      // RFC 3339 stamps of one precision sort as text.
      if (stamp < skip.stamp) return;
      if (stamp === skip.stamp && skipped < skip.count) {
        skipped += 1;
        return;
      }
    }
    last = last?.stamp === stamp ? { stamp, count: last.count + 1 } : { stamp, count: 1 };
    options.onOutput(`${text}\n`, last);
  };
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      lines.forEach(deliver);
      callback();
    },
  });
  let aborted = false;
  const ended = new Promise<void>(resolve => {
    sink.on('finish', resolve);
    sink.on('close', resolve);
    sink.on('error', () => resolve());
    options.signal.addEventListener(
      'abort',
      () => {
        aborted = true;
        resolve();
      },
      { once: true },
    );
  });
  const controller = await options.logApi.log(options.namespace, options.pod, options.container, sink, {
    follow: options.follow ?? true,
    timestamps: true,
    // sinceTime has second precision: the repeated lines of that second are skipped above.
    sinceTime: skip ? `${skip.stamp.slice(0, 19)}Z` : undefined,
  });
  const stop = () => controller.abort();
  options.signal.addEventListener('abort', stop, { once: true });
  await ended;
  options.signal.removeEventListener('abort', stop);
  if (partial && !aborted) deliver(partial);
  return last;
}

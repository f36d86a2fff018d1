import type { SetupStep } from '@devops-pipelines/plugin-devops-common';
import type { TaskLog } from '../executors/types';
import type {
  DatabaseLogStore,
  NewLogChunk,
} from '../database/DatabaseLogStore';
import { storableText } from '../database/rows';
import { SecretMasker } from './SecretMasker';

/**
 * The key of the checkout step's lines (SPEC §3), where a task's lines are keyed by its
 * task run id, a UUID, and the run's own lines by none.
 */
export const CHECKOUT_LOG = 'checkout' satisfies SetupStep;

/** Longest line kept whole; a longer one (no newline in sight) is cut into pieces. */
const MAX_LINE_CHARS = 64 * 1024;
/** Largest chunk row written; bigger batches are split. */
const MAX_CHUNK_CHARS = 256 * 1024;

export type RunLogWriterOptions = {
  secrets: Iterable<string>;
  maxBytesPerTask: number;
  /** How long lines wait before they are written, trading latency for fewer writes. */
  flushIntervalMs?: number;
  /** Told about writes that failed in the background, after retries: their lines are lost. */
  onWriteError?: (error: Error) => void;
  /** Waits before each retry of a failed write; tests shorten them. Default: 0.2, 1 and 3 s. */
  retryDelaysMs?: readonly number[];
};

/** What could not be stored, after retries: the run must not end as if its log were whole. */
export type LostLines = { lines: number; error: Error };

const DEFAULT_RETRY_DELAYS_MS = [200, 1000, 3000];

type PendingLine = { taskId?: string; text: string; resumeMark?: string };

/** How much of a task's last output a failure message quotes. */
const QUOTED_LINES = 2;
const QUOTED_LINE_CHARS = 200;

const truncate = (text: string, max: number) =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

/**
 * One task's log: assembles output chunks into lines, masks them, stamps them and stops
 * keeping them past the cap (with a note), without ever holding more than a line.
 */
export class TaskLineLog implements TaskLog {
  #partial = '';
  #bytes = 0;
  #droppedBytes = 0;
  #lastLines: string[] = [];
  #alreadyLogged?: ReadonlySet<string>;

  constructor(
    private readonly emit: (text: string, resumeMark?: string) => void,
    private readonly masker: SecretMasker,
    private readonly maxBytes: number,
  ) {}

  output(chunk: string, resumeMark?: string): void {
    const text = this.#partial + chunk;
    const lines = text.split('\n');
    this.#partial = lines.pop() ?? '';
    // The mark goes with the last whole line: what comes after it is not stored yet.
    lines.forEach((line, i) =>
      this.#line(
        line.replace(/\r$/, ''),
        false,
        i === lines.length - 1 ? resumeMark : undefined,
      ),
    );
    while (this.#partial.length > MAX_LINE_CHARS) {
      this.#line(this.#partial.slice(0, MAX_LINE_CHARS));
      this.#partial = this.#partial.slice(MAX_LINE_CHARS);
    }
  }

  platform(level: 'Normal' | 'Warning', text: string): void {
    for (const line of text.split('\n')) this.#line(`[${level}] ${line}`, true);
  }

  /**
   * Platform lines already in the task's log, from the engine before a takeover: the
   * executor re-attaching to the task reports its events again, and these are not
   * logged twice.
   */
  skipLoggedPlatformLines(lines: ReadonlySet<string>): void {
    this.#alreadyLogged = lines;
  }

  /**
   * The last non-empty lines the task printed, masked and shortened: what a failure
   * message quotes, so the reason shows without opening the log.
   */
  get lastOutputLines(): readonly string[] {
    return this.#lastLines;
  }

  /** Flushes a last line without a newline and reports what the cap cut off. */
  end(): void {
    if (this.#partial) {
      this.#line(this.#partial);
      this.#partial = '';
    }
    if (this.#droppedBytes > 0) {
      this.#stamp(
        `[Warning] ${
          this.#droppedBytes
        } more bytes of output were not kept (the limit is devops.limits.maxLogBytesPerTask = ${
          this.maxBytes
        } bytes)`,
      );
      this.#droppedBytes = 0;
    }
  }

  #line(line: string, platform = false, resumeMark?: string) {
    const size = Buffer.byteLength(line) + 1;
    if (!platform && this.#bytes + size > this.maxBytes) {
      // Dropped lines are passed too: resuming after them must not bring them back.
      if (this.#droppedBytes === 0) {
        this.#stamp(
          `[Warning] The log reached its limit of ${this.maxBytes} bytes; further output is not kept (the task goes on)`,
          resumeMark,
        );
      } else if (resumeMark) {
        this.emit('', resumeMark);
      }
      this.#droppedBytes += size;
      return;
    }
    const masked = storableText(this.masker.mask(line));
    if (platform && this.#alreadyLogged?.has(masked)) return;
    this.#bytes += size;
    if (!platform && masked.trim()) {
      this.#lastLines = [
        ...this.#lastLines,
        truncate(masked.trim(), QUOTED_LINE_CHARS),
      ].slice(-QUOTED_LINES);
    }
    this.#stamp(masked, resumeMark);
  }

  #stamp(line: string, resumeMark?: string) {
    this.emit(`${new Date().toISOString()} ${line}\n`, resumeMark);
  }
}

/**
 * Collects a run's log lines from its tasks, timestamps them, masks secrets, enforces
 * the per-task size cap and writes them in batches with consecutive sequence numbers.
 * One writer per run and engine: the sequence is only allocated here, in order.
 */
export class RunLogWriter {
  #pending: PendingLine[] = [];
  #pendingChars = 0;
  #nextSeq: number;
  #writing: Promise<void> = Promise.resolve();
  #timer?: NodeJS.Timeout;
  #lost?: LostLines;
  readonly #masker: SecretMasker;
  readonly #taskLogs = new Map<string, TaskLineLog>();

  private constructor(
    private readonly store: DatabaseLogStore,
    private readonly runId: string,
    lastSeq: number,
    private readonly options: RunLogWriterOptions,
  ) {
    this.#nextSeq = lastSeq + 1;
    this.#masker = new SecretMasker(options.secrets);
  }

  /** Continues after what is already stored, so a run taken over keeps one log. */
  static async open(
    store: DatabaseLogStore,
    runId: string,
    options: RunLogWriterOptions,
  ): Promise<RunLogWriter> {
    return new RunLogWriter(store, runId, await store.lastSeq(runId), options);
  }

  /** The run's own lines: its initialisation (who started it, where it runs) and its end. */
  get run(): TaskLog {
    return this.forTask(undefined);
  }

  forTask(taskId: string | undefined): TaskLineLog {
    const key = taskId ?? '';
    let log = this.#taskLogs.get(key);
    if (!log) {
      log = new TaskLineLog(
        (text, resumeMark) => this.#push({ taskId, text, resumeMark }),
        this.#masker,
        this.options.maxBytesPerTask,
      );
      this.#taskLogs.set(key, log);
    }
    return log;
  }

  /** Writes everything collected so far. */
  async flush(): Promise<void> {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const lines = this.#pending;
    this.#pending = [];
    this.#pendingChars = 0;
    const chunks = this.#toChunks(lines);
    const write = this.#writing.then(async () => {
      try {
        await this.#appendWithRetries(chunks);
      } catch (error) {
        this.#lost = {
          lines: (this.#lost?.lines ?? 0) + lines.length,
          error: error as Error,
        };
        throw error;
      }
    });
    // Later batches still go out after a failed one.
    this.#writing = write.catch(() => {});
    await write;
  }

  /** Lines that could not be stored, even after retries; undefined while none were lost. */
  get lost(): LostLines | undefined {
    return this.#lost;
  }

  /**
   * A write that fails (the database restarting, a connection dropped) is tried again
   * before its lines count as lost; later batches wait, so the order stays.
   */
  async #appendWithRetries(chunks: NewLogChunk[]) {
    const delays = this.options.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.append(this.runId, chunks);
        return;
      } catch (error) {
        if (attempt >= delays.length) throw error;
        await new Promise(resolve => setTimeout(resolve, delays[attempt]));
      }
    }
  }

  /** Ends every task's partial line and writes the rest. */
  async close(): Promise<void> {
    for (const log of this.#taskLogs.values()) log.end();
    await this.flush();
  }

  #push(line: PendingLine) {
    this.#pending.push(line);
    this.#pendingChars += line.text.length;
    if (this.#pendingChars >= MAX_CHUNK_CHARS) {
      this.#flushInBackground();
    } else if (!this.#timer) {
      this.#timer = setTimeout(
        () => this.#flushInBackground(),
        this.options.flushIntervalMs ?? 100,
      );
    }
  }

  #flushInBackground() {
    this.flush().catch(error => this.options.onWriteError?.(error));
  }

  /** Groups consecutive lines of one task into chunks and numbers them. */
  #toChunks(lines: PendingLine[]) {
    const chunks: NewLogChunk[] = [];
    let current:
      | { taskId?: string; parts: string[]; chars: number; resumeMark?: string }
      | undefined;
    const close = () => {
      if (current) {
        chunks.push({
          seq: this.#nextSeq++,
          taskId: current.taskId,
          text: current.parts.join(''),
          ...(current.resumeMark ? { resumeMark: current.resumeMark } : {}),
        });
      }
    };
    for (const line of lines) {
      if (
        !current ||
        current.taskId !== line.taskId ||
        current.chars + line.text.length > MAX_CHUNK_CHARS
      ) {
        close();
        current = { taskId: line.taskId, parts: [], chars: 0 };
      }
      current.parts.push(line.text);
      current.chars += line.text.length;
      current.resumeMark = line.resumeMark ?? current.resumeMark;
    }
    close();
    return chunks;
  }
}

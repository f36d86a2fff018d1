import type { TaskLog } from '../../executors/types';

/** A TaskLog that keeps what it was given, for assertions. */
export class RecordingLog implements TaskLog {
  text = '';
  platformLines: string[] = [];
  /** The last resume mark given with output. */
  resumeMark?: string;

  output(chunk: string, resumeMark?: string): void {
    this.text += chunk;
    this.resumeMark = resumeMark ?? this.resumeMark;
  }

  platform(level: 'Normal' | 'Warning', text: string): void {
    this.platformLines.push(`[${level}] ${text}`);
  }

  /** Output lines, without the empty one after the last newline. */
  get lines(): string[] {
    return this.text.split('\n').filter(Boolean);
  }
}

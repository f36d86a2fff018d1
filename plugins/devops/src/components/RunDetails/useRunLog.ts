import { useApi } from '@backstage/core-plugin-api';
import type { LogChunk } from '@devops-pipelines/plugin-devops-common';
import { useEffect, useState } from 'react';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { formatLogText } from './formatLogText';
import { appendToLog, emptyLogBuffer, type LogBuffer } from './logBuffer';

/** After a failed stream, the next attempt waits 1 s, doubling up to 30 s. */
export const LOG_RETRY_FIRST_MS = 1000;
const LOG_RETRY_MAX_MS = 30_000;

export type RunLogState = {
  buffer: LogBuffer;
  /** The run is over and every line arrived. */
  ended: boolean;
  /** The connection dropped and is being re-opened. */
  reconnecting: boolean;
  /** Why the last attempt failed; another follows. */
  error?: string;
};

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    });
  });

/**
 * Follows a log from its first line to the run's end. Each chunk is appended and shown
 * at once. When the stream fails, it is opened again after the last chunk received, so
 * nothing is lost or shown twice; the text kept is bounded (see logBuffer).
 */
export function useRunLog(
  runId: string,
  /** A task run's id, or a set-up step: `initialisation` (the run's own lines), `checkout`. */
  step: string,
): RunLogState {
  const devopsApi = useApi(devopsApiRef);
  const [state, setState] = useState<RunLogState>({
    buffer: emptyLogBuffer,
    ended: false,
    reconnecting: false,
  });
  useEffect(() => {
    const controller = new AbortController();
    const { signal } = controller;
    let buffer = emptyLogBuffer;
    let after = 0;
    let failures = 0;
    setState({ buffer, ended: false, reconnecting: false });

    const onChunk = (chunk: LogChunk) => {
      after = chunk.seq;
      failures = 0;
      buffer = appendToLog(buffer, formatLogText(chunk.text));
      const shown = buffer;
      setState(previous => ({
        ...previous,
        buffer: shown,
        reconnecting: false,
        error: undefined,
      }));
    };
    const onEndOfLog = () => {
      setState(previous => ({
        ...previous,
        ended: true,
        reconnecting: false,
        error: undefined,
      }));
    };
    const onReconnecting = () =>
      setState(previous => ({ ...previous, reconnecting: true }));
    const retryDelay = () =>
      Math.min(LOG_RETRY_FIRST_MS * 2 ** (failures - 1), LOG_RETRY_MAX_MS);

    const follow = async () => {
      while (!signal.aborted) {
        try {
          await devopsApi.streamRunLog(runId, {
            step,
            after,
            signal,
            onChunk,
            onEnd: onEndOfLog,
            onReconnecting,
          });
          return;
        } catch (e) {
          if (signal.aborted) return;
          failures += 1;
          const message = errorMessage(e);
          setState(previous => ({ ...previous, error: message }));
          await sleep(retryDelay(), signal);
        }
      }
    };
    follow();
    return () => controller.abort();
  }, [devopsApi, runId, step]);

  return state;
}

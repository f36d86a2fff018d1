import type { Request, Response } from 'express';

/**
 * Answers a request with a stream of server-sent events. Writes wait while the client
 * reads slower than we write, so a slow reader slows the reading instead of filling memory;
 * `signal` aborts when the client goes away.
 */
export function openEventStream(req: Request, res: Response) {
  res.writeHead(200, {
    'Content-Type': 'text/event-stream',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    // Proxies such as nginx would otherwise hold events back.
    'X-Accel-Buffering': 'no',
  });
  res.flushHeaders();
  const closed = new AbortController();
  req.on('close', () => closed.abort());

  const write = async (text: string) => {
    if (closed.signal.aborted || res.write(text)) return;
    // A client that left drains nothing: its close ends the wait too.
    await new Promise<void>(resolve => {
      const done = () => {
        res.off('drain', done);
        closed.signal.removeEventListener('abort', done);
        resolve();
      };
      res.once('drain', done);
      closed.signal.addEventListener('abort', done);
    });
  };

  return {
    signal: closed.signal,
    /** One event; with an `id`, a reconnecting EventSource sends it as Last-Event-ID. */
    send: (event: string, data: unknown, id?: number) =>
      write(
        `${
          id === undefined ? '' : `id: ${id}\n`
        }event: ${event}\ndata: ${JSON.stringify(data)}\n\n`,
      ),
    /** A comment now and then keeps proxies from closing a quiet stream. */
    keepAlive: () => write(': keepalive\n\n'),
    end: () => res.end(),
  };
}

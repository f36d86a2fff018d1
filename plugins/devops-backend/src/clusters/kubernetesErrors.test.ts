import { KubernetesTimeoutError, describeKubernetesError, withTimeout } from './kubernetesErrors';

/** An error shaped as @kubernetes/client-node's ApiException: status code and Status body text. */
const apiException = (code: number, body?: unknown) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, body });

const status = (message: string) =>
  JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message });

describe('describeKubernetesError', () => {
  it.each([
    [401, undefined, 'unauthorized', '401 Unauthorized'],
    [403, status('namespaces is forbidden: User "x" cannot create'), 'forbidden', '403 Forbidden: namespaces is forbidden: User "x" cannot create'],
    [404, status('namespaces "nope" not found'), 'notFound', '404 Not Found: namespaces "nope" not found'],
    [409, status('namespaces "a" already exists'), 'conflict', '409 Conflict: namespaces "a" already exists'],
    [422, status('Namespace "A" is invalid'), 'invalid', '422 Unprocessable Entity: Namespace "A" is invalid'],
    [503, 'upstream connect error', 'unreachable', '503 Service Unavailable: upstream connect error'],
    [429, { message: 'too many requests' }, 'failed', '429 error: too many requests'],
  ])('classifies status %s', (code, body, kind, reason) => {
    expect(describeKubernetesError(apiException(code, body))).toEqual({ kind, status: code, reason });
  });

  it('takes network failures as unreachable, with their own message', () => {
    const fetchError = Object.assign(
      new Error('request to https://127.0.0.1:1/api/v1/namespaces/x failed, reason: connect ECONNREFUSED 127.0.0.1:1'),
      { code: 'ECONNREFUSED', type: 'system' },
    );
    expect(describeKubernetesError(fetchError)).toEqual({
      kind: 'unreachable',
      reason: 'request to https://127.0.0.1:1/api/v1/namespaces/x failed, reason: connect ECONNREFUSED 127.0.0.1:1',
    });
    expect(describeKubernetesError(new KubernetesTimeoutError(10_000))).toEqual({
      kind: 'unreachable',
      reason: 'no answer within 10 s',
    });
    expect(describeKubernetesError('odd')).toEqual({ kind: 'unreachable', reason: 'odd' });
  });
});

describe('withTimeout', () => {
  it('passes the result of a request that answers in time', async () => {
    await expect(withTimeout(Promise.resolve('ok'), 1000)).resolves.toBe('ok');
    await expect(withTimeout(Promise.reject(new Error('refused')), 1000)).rejects.toThrow('refused');
  });

  it('gives up on a request that does not answer', async () => {
    await expect(withTimeout(new Promise(() => {}), 20)).rejects.toBeInstanceOf(KubernetesTimeoutError);
    await expect(withTimeout(new Promise(() => {}), 20)).rejects.toThrow('no answer within 0.02 s');
  });
});

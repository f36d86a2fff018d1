import { useState } from 'react';
import { errorMessage } from './errorMessage';

/**
 * A dialog's save: busy while the request runs, and the backend's message when it
 * fails, to show in the dialog so that what the user typed is kept for a retry.
 */
export function useSubmit<V, T>(
  request: (value: V) => Promise<T>,
  onDone: (result: T) => void,
) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const submit = async (value: V) => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await request(value);
      setBusy(false);
      onDone(result);
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return { busy, error, submit };
}

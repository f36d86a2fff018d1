import { useRef } from 'react';

/**
 * The value of the previous render while the new one has the same content, so that
 * memoised children (the canvas of 600 cards) are not re-rendered for an equal copy.
 * For small, JSON-shaped values only.
 */
export function useEqualValue<T>(value: T): T {
  const kept = useRef(value);
  if (
    kept.current !== value &&
    JSON.stringify(kept.current) !== JSON.stringify(value)
  ) {
    kept.current = value;
  }
  return kept.current;
}

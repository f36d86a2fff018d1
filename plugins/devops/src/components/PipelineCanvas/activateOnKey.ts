import type { KeyboardEvent } from 'react';

/**
 * Enter and Space activate an element with role="button", as they do a <button>. Cards
 * use a role="button" element instead of a <button> because browsers other than
 * Chromium do not start an HTML drag from inside a button.
 */
export function activateOnKey(action: () => void) {
  return (event: KeyboardEvent) => {
    if (event.target !== event.currentTarget) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      action();
    }
  };
}

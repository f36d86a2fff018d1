import { useEffect } from 'react';

/** Text fields keep their own undo; dialogs keep their keys to themselves. */
function ownsUndo(target: EventTarget | null) {
  if (!(target instanceof Element)) return false;
  return Boolean(
    target.closest(
      'input, textarea, select, [contenteditable=""], [contenteditable="true"], [role="dialog"]',
    ),
  );
}

/**
 * Ctrl+Z undoes; Ctrl+Shift+Z and Ctrl+Y redo (Cmd on a Mac), wherever the focus is
 * on the page except in a text field or a dialog.
 */
export function useUndoRedoKeys(handlers: {
  enabled: boolean;
  onUndo: () => void;
  onRedo: () => void;
}) {
  const { enabled, onUndo, onRedo } = handlers;
  useEffect(() => {
    if (!enabled) return undefined;
    const onKeyDown = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
      if (ownsUndo(event.target)) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) {
        event.preventDefault();
        onUndo();
      } else if ((key === 'z' && event.shiftKey) || key === 'y') {
        event.preventDefault();
        onRedo();
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [enabled, onUndo, onRedo]);
}

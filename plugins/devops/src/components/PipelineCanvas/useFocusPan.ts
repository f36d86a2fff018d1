import { useCallback, type FocusEvent } from 'react';
import { useReactFlow } from 'reactflow';

/** How far from the canvas edge a focused control is brought into view. */
const MARGIN = 24;

/**
 * Keeps the control focused by the keyboard in view. Left alone, the browser scrolls
 * the clipped canvas to reveal it, which shifts the drawing away from React Flow's
 * viewport (and the pointer from the cards); instead, that scroll is undone and the
 * viewport pans.
 */
export function useFocusPan() {
  const { getViewport, setViewport } = useReactFlow();
  return useCallback(
    (event: FocusEvent<HTMLElement>) => {
      const target = event.target as HTMLElement;
      const flow =
        event.currentTarget.querySelector<HTMLElement>('.react-flow');
      if (!flow || !target.closest('.react-flow__node')) return;
      for (
        let element: HTMLElement | null = target.parentElement;
        element && element !== event.currentTarget;
        element = element.parentElement
      ) {
        element.scrollTop = 0;
        element.scrollLeft = 0;
      }
      const view = flow.getBoundingClientRect();
      const rect = target.getBoundingClientRect();
      let dx = 0;
      let dy = 0;
      if (rect.left < view.left + MARGIN) dx = view.left + MARGIN - rect.left;
      else if (rect.right > view.right - MARGIN) {
        dx = view.right - MARGIN - rect.right;
      }
      if (rect.top < view.top + MARGIN) dy = view.top + MARGIN - rect.top;
      else if (rect.bottom > view.bottom - MARGIN) {
        dy = view.bottom - MARGIN - rect.bottom;
      }
      if (dx || dy) {
        const { x, y, zoom } = getViewport();
        setViewport({ x: x + dx, y: y + dy, zoom });
      }
    },
    [getViewport, setViewport],
  );
}

import { useEffect, type RefObject } from 'react';
import { useReactFlow } from 'reactflow';

/** Lines and pages of wheel movement, in pixels. */
const DELTA_MODE_PIXELS = [1, 20, 400];

/**
 * The wheel pans the view over the cards too. React Flow pans on the wheel only over
 * the background: cards are "nopan" (see layout.ts), and its pan-on-scroll honours that.
 * Ctrl and Cmd wheels are left to React Flow's zoom.
 */
export function useWheelPan(ref: RefObject<HTMLElement>) {
  const { getViewport, setViewport } = useReactFlow();
  useEffect(() => {
    const element = ref.current;
    if (!element) return undefined;
    const onWheel = (event: WheelEvent) => {
      if (event.ctrlKey || event.metaKey) return;
      if (!(event.target as Element).closest?.('.react-flow__node')) return;
      event.preventDefault();
      const scale = DELTA_MODE_PIXELS[event.deltaMode] ?? 1;
      // A mouse wheel with Shift scrolls sideways, as it does on a page.
      const sideways = event.shiftKey && !event.deltaX;
      const dx = (sideways ? event.deltaY : event.deltaX) * scale;
      const dy = (sideways ? 0 : event.deltaY) * scale;
      const { x, y, zoom } = getViewport();
      setViewport({ x: x - dx, y: y - dy, zoom });
    };
    // Not passive: the page must not scroll while the view pans.
    element.addEventListener('wheel', onWheel, { passive: false });
    return () => element.removeEventListener('wheel', onWheel);
  }, [ref, getViewport, setViewport]);
}

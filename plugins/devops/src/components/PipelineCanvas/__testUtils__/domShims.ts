/**
 * What the canvas needs from a browser and jsdom lacks. Nodes carry their sizes (see
 * layout.ts), so nothing has to be measured: ResizeObserver only has to exist. A
 * DragEvent class lets drag events in tests carry pointer coordinates.
 */
export function installCanvasShims() {
  class ResizeObserverShim {
    observe() {}
    unobserve() {}
    disconnect() {}
  }
  class DOMMatrixReadOnlyShim {
    readonly m22: number;
    constructor(transform?: string) {
      const scale = transform?.match(/scale\(([\d.]+)\)/)?.[1];
      this.m22 = scale ? Number(scale) : 1;
    }
  }
  class DragEventShim extends MouseEvent {
    readonly dataTransfer = null;
  }
  Object.assign(globalThis, {
    ResizeObserver: ResizeObserverShim,
    DOMMatrixReadOnly: DOMMatrixReadOnlyShim,
    DragEvent: globalThis.DragEvent ?? DragEventShim,
  });
}

/**
 * What React Flow needs from a browser and jsdom lacks. Nodes carry their sizes (see
 * layout.ts), so nothing has to be measured: ResizeObserver only has to exist.
 */
export function installReactFlowShims() {
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
  Object.assign(globalThis, {
    ResizeObserver: ResizeObserverShim,
    DOMMatrixReadOnly: DOMMatrixReadOnlyShim,
  });
}

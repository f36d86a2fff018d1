import { useCallback, useContext, useEffect, useRef, useState } from 'react';
import { UNSAFE_NavigationContext } from 'react-router-dom';

function isPlainLeftClick(event: MouseEvent) {
  return (
    event.button === 0 &&
    !event.defaultPrevented &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}

/** A link that would leave this page within the app (not a new tab, download or site). */
function appLink(event: MouseEvent): HTMLAnchorElement | undefined {
  const link = (event.target as Element | null)?.closest?.('a[href]');
  if (!(link instanceof HTMLAnchorElement) || !isPlainLeftClick(event)) {
    return undefined;
  }
  const target = link.getAttribute('target');
  if ((target && target !== '_self') || link.hasAttribute('download')) {
    return undefined;
  }
  return link.origin === window.location.origin ? link : undefined;
}

/**
 * Asks before leaving a page with unsaved changes.
 *
 * Backstage renders React Router without a data router, so `useBlocker` throws there.
 * Instead: `beforeunload` covers reloading and closing the tab; a click listener in
 * the capture phase stops in-app links (the sidebar, breadcrumbs, entity tabs, whichever
 * router or app-history API their click handler uses) before any handler sees them;
 * and the router's navigator is wrapped for navigation done in code. The browser's back
 * button cannot be held this way and is not.
 *
 * `leave` confirms: the held navigation goes ahead. `navigateAway` is for the page's
 * own navigation after a save, when nothing is unsaved any more.
 */
export function useLeaveGuard(dirty: boolean) {
  const { navigator } = useContext(UNSAFE_NavigationContext);
  const [held, setHeld] = useState<() => void>();
  const passing = useRef(false);
  // Set once the person chose to leave: a plain link then unloads the page, and the
  // browser must not ask a second time.
  const left = useRef(false);

  const pass = useCallback((go: () => void) => {
    passing.current = true;
    try {
      go();
    } finally {
      passing.current = false;
    }
  }, []);

  useEffect(() => {
    if (!dirty) return undefined;
    left.current = false;
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (left.current) return;
      event.preventDefault();
      // Older browsers ask only when returnValue is set.
      event.returnValue = '';
    };
    const onClick = (event: MouseEvent) => {
      const link = passing.current ? undefined : appLink(event);
      if (!link) return;
      event.preventDefault();
      event.stopPropagation();
      setHeld(() => () => link.click());
    };
    const { push, replace } = navigator;
    navigator.push = (...args) => {
      if (passing.current) push.apply(navigator, args);
      else setHeld(() => () => push.apply(navigator, args));
    };
    navigator.replace = (...args) => {
      if (passing.current) replace.apply(navigator, args);
      else setHeld(() => () => replace.apply(navigator, args));
    };
    window.addEventListener('beforeunload', onBeforeUnload);
    document.addEventListener('click', onClick, true);
    return () => {
      window.removeEventListener('beforeunload', onBeforeUnload);
      document.removeEventListener('click', onClick, true);
      navigator.push = push;
      navigator.replace = replace;
    };
  }, [dirty, navigator]);

  return {
    /** Whether a navigation waits for the person to confirm leaving. */
    asking: held !== undefined,
    leave: () => {
      setHeld(undefined);
      left.current = true;
      if (held) pass(held);
    },
    stay: () => setHeld(undefined),
    /** Navigation the page asks for itself, such as Cancel: asks first when dirty. */
    request: (go: () => void) => (dirty ? setHeld(() => go) : go()),
    navigateAway: pass,
  };
}

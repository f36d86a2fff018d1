/**
 * Sends the browser to another site, e.g. a code host's authorization page; a module of
 * its own so that tests can see where the page would have gone.
 */
export function leaveAppFor(url: string) {
  window.location.assign(url);
}

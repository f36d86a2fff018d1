/**
 * How long typing pauses before a search is sent: long enough to skip the keystrokes
 * of a word, short enough to feel immediate.
 */
export const SEARCH_DEBOUNCE_MS = 300;

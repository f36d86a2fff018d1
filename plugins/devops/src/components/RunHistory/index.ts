export { RunHistory } from './RunHistory';
export type { RunHistoryProps } from './RunHistory';
export { useRunHistory } from './useRunHistory';
export type { RunHistory as RunHistoryState } from './useRunHistory';
export { useRunActions } from './useRunActions';
export { RunLink } from './RunLink';
export { usePolling } from './usePolling';
export { formatDuration } from './formatDuration';
export { runCause, shortCommit } from './runCause';

/** A run's or a task's duration as people read it: "45 s", "3 min 05 s", "2 h 03 min". */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined) {
    return '—';
  }
  // Clocks of browser and backend differ a little; a live duration may dip below zero.
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds < 60) {
    return `${seconds} s`;
  }
  const pad = (n: number) => String(n).padStart(2, '0');
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) {
    return `${minutes} min ${pad(seconds % 60)} s`;
  }
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

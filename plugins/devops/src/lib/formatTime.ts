/** Timestamps from the API are ISO strings in UTC; people read them in their own zone. */
export function formatTime(iso: string): string {
  return new Date(iso).toLocaleString();
}

/** 1 January 2024 was a Monday, so day n of that month is ISO weekday n. */
const mondayUtc = Date.UTC(2024, 0, 1);
const DAY_MS = 24 * 60 * 60 * 1000;

/** The names of the ISO weekdays (Monday first) in the browser's language. */
export function weekdayNames(): string[] {
  const format = new Intl.DateTimeFormat(undefined, {
    weekday: 'long',
    timeZone: 'UTC',
  });
  return Array.from({ length: 7 }, (_, index) =>
    format.format(mondayUtc + index * DAY_MS),
  );
}

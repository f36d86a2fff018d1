import { formatDuration } from './formatDuration';

describe('formatDuration', () => {
  it('reads in the largest units that matter', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(-300)).toBe('0 s');
    expect(formatDuration(45_900)).toBe('45 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(2 * 3_600_000 + 3 * 60_000)).toBe('2 h 03 min');
  });
});

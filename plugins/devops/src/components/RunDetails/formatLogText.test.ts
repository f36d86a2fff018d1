import { formatLogText } from './formatLogText';

describe('formatLogText', () => {
  it('greys the timestamps and colours platform lines', () => {
    expect(
      formatLogText(
        '2026-11-21T09:00:05.123Z [Warning] FailedScheduling: Insufficient memory\n' +
          '2026-11-21T09:00:06Z [Normal] Started container\n' +
          '2026-11-21T09:00:07Z npm test [Normal]\n',
      ),
    ).toBe(
      '\u001b[90m2026-11-21T09:00:05.123Z\u001b[39m \u001b[30m\u001b[43m[Warning]\u001b[39m\u001b[49m FailedScheduling: Insufficient memory\n' +
        '\u001b[90m2026-11-21T09:00:06Z\u001b[39m \u001b[34m[Normal]\u001b[39m Started container\n' +
        '\u001b[90m2026-11-21T09:00:07Z\u001b[39m npm test [Normal]\n',
    );
  });

  it('leaves lines without a timestamp as they are', () => {
    expect(formatLogText('plain output\n')).toBe('plain output\n');
  });
});

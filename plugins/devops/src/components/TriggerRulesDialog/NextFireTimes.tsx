import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import {
  nextFireTimes,
  type Schedule,
} from '@devops-pipelines/plugin-devops-common';
import { useNow } from '../../lib/useNow';

const COUNT = 5;
/** Often enough that "every minute" never shows a time already past for long. */
const REFRESH_MS = 15_000;

export type FireTimeZone = {
  /** IANA name, such as "Europe/Berlin". */
  name: string;
  /** Where the zone comes from, e.g. "your browser's time zone". */
  origin: string;
};

export type NextFireTimesProps = {
  /** The valid schedule; undefined while the fields do not make one. */
  schedule: Schedule | undefined;
  zone: FireTimeZone;
};

/** When the periodic trigger will start the next runs, computed as the backend does. */
export const NextFireTimes = ({ schedule, zone }: NextFireTimesProps) => {
  const now = useNow(REFRESH_MS);

  if (!schedule) {
    return (
      <Typography variant="body2" color="textSecondary">
        Correct the schedule to see when it fires.
      </Typography>
    );
  }

  let content;
  try {
    content = (
      <Box component="ol" m={0} pl={3}>
        {nextFireTimes(schedule, now, zone.name, COUNT).map(time => (
          <li key={time.toMillis()}>
            <Typography variant="body2">
              <time dateTime={time.toISO() ?? undefined}>
                {time.toLocaleString({
                  weekday: 'short',
                  year: 'numeric',
                  month: 'short',
                  day: 'numeric',
                  hour: '2-digit',
                  minute: '2-digit',
                  hourCycle: 'h23',
                })}
              </time>
            </Typography>
          </li>
        ))}
      </Box>
    );
  } catch (e) {
    // An unknown zone name is the realistic case; say so instead of breaking the dialog.
    content = (
      <Typography variant="body2" color="error">
        {e instanceof Error ? e.message : String(e)}
      </Typography>
    );
  }

  return (
    <section aria-label="Next fire times">
      <Typography variant="subtitle2">Next {COUNT} runs</Typography>
      <Typography variant="caption" color="textSecondary" component="p">
        Times in {zone.name} ({zone.origin})
      </Typography>
      {content}
    </section>
  );
};

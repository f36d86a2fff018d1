import { makeStyles } from '@material-ui/core/styles';
import { RUN_STATUSES, STATUS_COLORS, STATUS_LABELS } from './runStatus';

const useStyles = makeStyles(theme => ({
  legend: {
    display: 'flex',
    flexWrap: 'wrap',
    gap: theme.spacing(2),
    listStyle: 'none',
    margin: theme.spacing(1, 0, 0),
    padding: 0,
    fontSize: '0.75rem',
    color: theme.palette.text.secondary,
  },
  item: { display: 'flex', alignItems: 'center', gap: theme.spacing(0.5) },
  swatch: { width: 12, height: 12, borderRadius: 2 },
}));

/** What the colours of the cards mean. */
export const StatusLegend = () => {
  const classes = useStyles();
  return (
    <ul className={classes.legend} aria-label="Run status colours">
      {RUN_STATUSES.map(status => (
        <li key={status} className={classes.item}>
          <span
            className={classes.swatch}
            style={{ background: STATUS_COLORS[status] }}
          />
          {STATUS_LABELS[status]}
        </li>
      ))}
    </ul>
  );
};

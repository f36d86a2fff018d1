import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableRow from '@material-ui/core/TableRow';
import { makeStyles } from '@material-ui/core/styles';
import type { ReactNode } from 'react';

const useStyles = makeStyles(theme => ({
  label: {
    width: '35%',
    color: theme.palette.text.secondary,
    verticalAlign: 'top',
  },
}));

/** Labelled values, one a row, as the cards of the detail pages show them. */
export const DetailsList = ({
  items,
}: {
  items: ReadonlyArray<readonly [label: string, value: ReactNode]>;
}) => {
  const classes = useStyles();
  return (
    <Table size="small">
      <TableBody>
        {items.map(([label, value]) => (
          <TableRow key={label}>
            <TableCell component="th" scope="row" className={classes.label}>
              {label}
            </TableCell>
            <TableCell>{value}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
};

import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import type { ReactNode } from 'react';
import { ListPanel } from '../ListPanel';
import type { PipelineColumn } from './columns';

export type PipelinesListProps = {
  title: string;
  columns: PipelineColumn[];
  items: Pipeline[];
  loading: boolean;
  /** Said in place of the rows when there are none, such as that nothing matches. */
  emptyText: string;
  /** The search field and buttons beside the title. */
  tools: ReactNode;
};

/**
 * The pipelines as a table. A plain MUI table rather than Backstage's: each row carries
 * a `data-testid` for browser tests, which material-table's rows do not take.
 */
export const PipelinesList = (props: PipelinesListProps) => {
  const { title, columns, items, loading, emptyText, tools } = props;
  return (
    <ListPanel title={title} tools={tools} loading={loading}>
      <Table size="small">
        <TableHead>
          <TableRow>
            {columns.map(column => (
              <TableCell key={column.title}>{column.title}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(pipeline => (
            <TableRow
              key={pipeline.status.id}
              data-testid={`pipeline-row-${pipeline.metadata.name}`}
            >
              {columns.map(column => (
                <TableCell key={column.title}>
                  {column.render(pipeline)}
                </TableCell>
              ))}
            </TableRow>
          ))}
          {items.length === 0 && !loading && (
            <TableRow>
              <TableCell colSpan={columns.length}>
                <Typography variant="body2" color="textSecondary">
                  {emptyText}
                </Typography>
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    </ListPanel>
  );
};

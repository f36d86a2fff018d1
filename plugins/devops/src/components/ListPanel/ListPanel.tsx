import Box from '@material-ui/core/Box';
import LinearProgress from '@material-ui/core/LinearProgress';
import Paper from '@material-ui/core/Paper';
import Toolbar from '@material-ui/core/Toolbar';
import Typography from '@material-ui/core/Typography';
import type { ReactNode } from 'react';

export type ListPanelProps = {
  title: string;
  /** Buttons and fields beside the title. */
  tools?: ReactNode;
  loading: boolean;
  /** The table. */
  children: ReactNode;
};

/** A titled panel around a table, with a progress line while it loads (pipelines, clusters). */
export const ListPanel = ({ title, tools, loading, children }: ListPanelProps) => (
  <Paper>
    <Toolbar>
      <Box flexGrow={1}>
        <Typography variant="h5" component="h2">
          {title}
        </Typography>
      </Box>
      {tools}
    </Toolbar>
    {/* Keeps its height while idle, so that the rows do not jump. */}
    <Box height={4}>{loading && <LinearProgress />}</Box>
    {children}
  </Paper>
);

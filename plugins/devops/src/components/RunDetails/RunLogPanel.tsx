import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Paper from '@material-ui/core/Paper';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import FullscreenIcon from '@material-ui/icons/Fullscreen';
import FullscreenExitIcon from '@material-ui/icons/FullscreenExit';
import GetAppIcon from '@material-ui/icons/GetApp';
import { LogViewer } from '@backstage/core-components';
import { alertApiRef, useApi } from '@backstage/core-plugin-api';
import type { Run } from '@devops-pipelines/plugin-devops-common';
import { useEffect, useState, type ReactNode } from 'react';
import { devopsApiRef } from '../../api';
import { downloadText } from '../../lib/downloadText';
import { errorMessage } from '../../lib/errorMessage';
import { MAX_LOG_LINES } from './logBuffer';
import { type RunLogState, useRunLog } from './useRunLog';

export type RunLogPanelProps = {
  run: Run;
  /** The step's name, for the heading. */
  title: string;
  /** A task run's id, or a set-up step (`initialisation`, `checkout`). */
  step: string;
  /** The step has not started yet. */
  pending: boolean;
  /** Said under the heading, e.g. which tasks ran beside this one. */
  note?: ReactNode;
};

const useStyles = makeStyles(theme => ({
  // The same panel over the whole window: the stream and the scroll position go on.
  fullScreen: {
    position: 'fixed',
    inset: 0,
    zIndex: theme.zIndex.modal,
    display: 'flex',
    flexDirection: 'column',
    borderRadius: 0,
  },
  fullScreenLog: { flex: 1, minHeight: 0 },
}));

/** What the log view says about itself: following, waiting, or why not. */
function describeLog(log: RunLogState, pending: boolean): string | undefined {
  if (log.error) {
    return `The log stream failed (${log.error}); trying again.`;
  }
  if (log.reconnecting) {
    return 'Connection lost; reconnecting, the log continues where it stopped.';
  }
  if (log.buffer.lines === 0) {
    if (log.ended) return 'This step wrote no output.';
    return pending ? 'Waiting for the step to start.' : 'Waiting for output.';
  }
  return log.ended ? undefined : 'Following the log as it is written.';
}

/**
 * A step's log, following live: LogViewer brings ANSI colours, search, line links and
 * windowed scrolling. Only the last lines are kept (see logBuffer); the whole run's
 * log is a download.
 */
export const RunLogPanel = ({
  run,
  title,
  step,
  pending,
  note,
}: RunLogPanelProps) => {
  const devopsApi = useApi(devopsApiRef);
  const alertApi = useApi(alertApiRef);
  const log = useRunLog(run.id, step);
  const [downloading, setDownloading] = useState(false);
  // Under an entity's header the panel shows a few lines; full screen shows the log.
  const [fullScreen, setFullScreen] = useState(false);
  const classes = useStyles();
  useEffect(() => {
    if (!fullScreen) return undefined;
    const exitOnEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') setFullScreen(false);
    };
    window.addEventListener('keydown', exitOnEscape);
    return () => window.removeEventListener('keydown', exitOnEscape);
  }, [fullScreen]);

  const download = async () => {
    setDownloading(true);
    try {
      const text = await devopsApi.downloadRunLog(run.id);
      downloadText(
        text,
        `${run.pipelineName}-${run.buildId}.log`,
        'text/plain',
      );
    } catch (e) {
      alertApi.post({
        message: `Could not download the log: ${errorMessage(e)}`,
        severity: 'error',
      });
    }
    setDownloading(false);
  };

  const status = describeLog(log, pending);
  const { droppedLines } = log.buffer;
  return (
    <Paper
      variant="outlined"
      className={fullScreen ? classes.fullScreen : undefined}
      data-fullscreen={fullScreen}
    >
      <Box display="flex" alignItems="center" p={2} pb={1} gridGap={8}>
        <Typography variant="h6" component="h2">
          Log: {title}
        </Typography>
        <Box flexGrow={1} />
        <Button
          size="small"
          startIcon={fullScreen ? <FullscreenExitIcon /> : <FullscreenIcon />}
          onClick={() => setFullScreen(on => !on)}
        >
          {fullScreen ? 'Exit full screen' : 'Full screen'}
        </Button>
        <Button
          size="small"
          startIcon={<GetAppIcon />}
          onClick={download}
          disabled={downloading}
        >
          Download full log
        </Button>
      </Box>
      <Box px={2} pb={1} minHeight={24}>
        {note}
        {droppedLines > 0 && (
          <Typography variant="body2" color="textSecondary">
            Showing the last {log.buffer.lines.toLocaleString()} lines (at most{' '}
            {MAX_LOG_LINES.toLocaleString()}); {droppedLines.toLocaleString()}{' '}
            earlier lines are in the full log.
          </Typography>
        )}
        {status && (
          <Typography
            variant="body2"
            color={log.error ? 'error' : 'textSecondary'}
            role="status"
          >
            {status}
          </Typography>
        )}
      </Box>
      {/* LogViewer fills its container, so the container sets the height. */}
      <Box
        data-testid="run-log"
        data-ended={log.ended}
        className={fullScreen ? classes.fullScreenLog : undefined}
        height={fullScreen ? undefined : '65vh'}
        minHeight={320}
      >
        {/* Long lines wrap: a log line cut at the edge hides what went wrong. */}
        <LogViewer text={log.buffer.text} textWrap />
      </Box>
    </Paper>
  );
};

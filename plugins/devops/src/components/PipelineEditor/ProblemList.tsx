import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { Problem } from './state/validateDraft';

/** Everything that stops the pipeline from being saved, each with its path. */
export const ProblemList = ({ problems }: { problems: Problem[] }) => (
  <Box
    role="alert"
    aria-label="Problems to fix before saving"
    border={1}
    borderColor="error.main"
    borderRadius={4}
    px={2}
    py={1}
    mb={2}
  >
    <Typography variant="subtitle2" color="error">
      Fix {problems.length === 1 ? 'this problem' : 'these problems'} before
      saving:
    </Typography>
    <Box component="ul" m={0} pl={3}>
      {problems.map(({ where, message }) => (
        <Typography component="li" variant="body2" key={`${where}: ${message}`}>
          {where ? <code>{where}</code> : null}
          {where ? ': ' : ''}
          {message}
        </Typography>
      ))}
    </Box>
  </Box>
);

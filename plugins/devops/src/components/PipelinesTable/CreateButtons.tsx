import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { LinkButton } from '@backstage/core-components';
import { useDevopsLinks } from '../../links';

/** The two ways to a new pipeline: the canvas editor, or a YAML document. */
export const CreateButtons = ({ onImport }: { onImport: () => void }) => {
  const links = useDevopsLinks();
  return (
    <Box display="flex" gridGap={8}>
      <LinkButton to={links.newPipeline()} variant="contained" color="primary">
        Create pipeline
      </LinkButton>
      <Button variant="outlined" color="primary" onClick={onImport}>
        Import YAML
      </Button>
    </Box>
  );
};

import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import { LinkButton } from '@backstage/core-components';
import { useCreatePermission } from '../../lib/usePipelinePermissions';
import { useDevopsLinks } from '../../links';
import { DisabledTooltip } from '../DisabledTooltip';

/**
 * The two ways to a new pipeline: the canvas editor, or a YAML document. Disabled,
 * saying why, where the policy lets the user create no pipeline (for this entity).
 */
export const CreateButtons = ({
  entityRef,
  onImport,
}: {
  /** The entity the list shows, which a new pipeline belongs to. */
  entityRef?: string;
  onImport: () => void;
}) => {
  const links = useDevopsLinks();
  const { allowed, reason } = useCreatePermission(entityRef);
  return (
    <Box display="flex" gridGap={8}>
      <DisabledTooltip title={reason}>
        <LinkButton
          to={links.newPipeline()}
          variant="contained"
          color="primary"
          disabled={!allowed}
        >
          Create pipeline
        </LinkButton>
      </DisabledTooltip>
      <DisabledTooltip title={reason}>
        <Button
          variant="outlined"
          color="primary"
          onClick={onImport}
          disabled={!allowed}
        >
          Import YAML
        </Button>
      </DisabledTooltip>
    </Box>
  );
};

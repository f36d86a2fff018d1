import Typography from '@material-ui/core/Typography';
import { Link } from '@backstage/core-components';
import { useCreatePermission } from '../../lib/usePipelinePermissions';
import { useDevopsLinks } from '../../links';

/**
 * The card of an entity without pipelines: says so, and leads to the editor where the
 * portal's permission policy lets the user create one for the entity.
 */
export const NoPipelines = ({
  entityRef,
  kind,
}: {
  entityRef: string;
  /** The entity's kind, as the sentence names it ("this component"). */
  kind: string;
}) => {
  const links = useDevopsLinks();
  const create = useCreatePermission(entityRef);
  return (
    <>
      <Typography variant="body1" gutterBottom>
        No pipelines for this {kind.toLocaleLowerCase('en-US')} yet
      </Typography>
      <Typography variant="body2" color="textSecondary">
        A pipeline builds, tests and deploys its code.{' '}
        {create.allowed && (
          <Link to={links.newPipeline()}>Create a pipeline</Link>
        )}
      </Typography>
    </>
  );
};

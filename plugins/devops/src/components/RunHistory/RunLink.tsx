import Link from '@material-ui/core/Link';
import type { RunSummary } from '@devops-pipelines/plugin-devops-common';
import { Link as RouterLink } from 'react-router-dom';
import { useDevopsLinks } from '../../links';

/** "#12", linking to the run's page. */
export const RunLink = ({
  run,
}: {
  run: Pick<RunSummary, 'id' | 'buildId'>;
}) => {
  const links = useDevopsLinks();
  return (
    <Link component={RouterLink} to={links.run(run.id)}>
      #{run.buildId}
    </Link>
  );
};

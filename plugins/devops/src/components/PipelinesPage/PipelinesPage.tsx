import Box from '@material-ui/core/Box';
import { PageWithHeader } from '@backstage/core-components';
import { DevopsRouter } from '../DevopsRouter';

/** The DevOps page's body; the new frontend system's page extension adds the header. */
export const PipelinesPage = () => (
  <Box p={3}>
    <DevopsRouter />
  </Box>
);

/**
 * The DevOps page for apps on the legacy frontend system, where a page brings its own
 * header; the legacy page shell is the one that fits there.
 */
export const LegacyPipelinesPage = () => (
  <PageWithHeader title="Pipelines" themeId="tool">
    <PipelinesPage />
  </PageWithHeader>
);

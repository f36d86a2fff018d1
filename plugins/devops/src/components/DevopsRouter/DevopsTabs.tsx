import Box from '@material-ui/core/Box';
import Tab from '@material-ui/core/Tab';
import Tabs from '@material-ui/core/Tabs';
import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import { useDevopsLinks } from '../../links';

/** The sections of the DevOps page, as tabs that are links, so each has its own URL. */
export const DevopsTabs = ({ children }: { children: ReactNode }) => {
  const links = useDevopsLinks();
  const { pathname } = useLocation();
  const sections = [
    { label: 'Pipelines', to: links.list() },
    { label: 'Clusters', to: links.clusters() },
    { label: 'Repositories', to: links.repositories() },
  ];
  // Only these routes render the tabs: a path that is none of the others is the list.
  const path = pathname.replace(/\/$/, '');
  const current = Math.max(
    0,
    sections.findIndex(section => section.to === path),
  );
  return (
    <>
      <Box mb={2}>
        <Tabs value={current} indicatorColor="primary" textColor="primary">
          {sections.map(section => (
            <Tab
              key={section.to}
              label={section.label}
              component={Link}
              to={section.to}
            />
          ))}
        </Tabs>
      </Box>
      {children}
    </>
  );
};

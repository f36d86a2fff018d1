export { DevopsRouter } from './DevopsRouter';
export type { DevopsRouterProps } from './DevopsRouter';
export { useDevopsLinks, DevopsMountContext } from './links';
export type { DevopsMount } from './links';

export { DevopsRouter } from './DevopsRouter';
export type { DevopsRouterProps } from './DevopsRouter';

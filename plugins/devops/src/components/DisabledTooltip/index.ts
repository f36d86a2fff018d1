export { DisabledTooltip } from './DisabledTooltip';
export type { DisabledTooltipProps } from './DisabledTooltip';

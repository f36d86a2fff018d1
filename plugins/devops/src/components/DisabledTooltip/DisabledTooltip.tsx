import Tooltip from '@material-ui/core/Tooltip';
import { cloneElement, forwardRef, type ReactElement } from 'react';

export type DisabledTooltipProps = {
  /** What the tooltip says, such as why the control is disabled; none if unset. */
  title?: string;
  /** The control, enabled or not. */
  children: ReactElement;
};

/**
 * A tooltip that also shows over a disabled control. A disabled control fires no mouse
 * events, so the tooltip listens on a wrapper, a block one so that it covers a whole
 * menu item. The ref and other props go on as if it were the control: a menu hands its
 * items their focus, and measures the first one.
 */
export const DisabledTooltip = forwardRef<HTMLElement, DisabledTooltipProps>(
  ({ title, children, ...props }, ref) =>
    title ? (
      <Tooltip title={title}>
        <span ref={ref} style={{ display: 'block' }}>
          {cloneElement(children, props)}
        </span>
      </Tooltip>
    ) : (
      cloneElement(children, { ...props, ref })
    ),
);

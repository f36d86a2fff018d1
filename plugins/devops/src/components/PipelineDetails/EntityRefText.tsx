import Typography from '@material-ui/core/Typography';
import { parseEntityRef } from '@backstage/catalog-model';
import { EntityRefLink } from '@backstage/plugin-catalog-react';

/**
 * A link to a catalog entity. The backend does not insist on the format of the project
 * and creator references (seeded pipelines may name a creator that is no user entity),
 * so what does not parse is shown as text.
 */
export const EntityRefText = (props: {
  entityRef: string;
  defaultKind?: string;
}) => {
  try {
    const ref = parseEntityRef(props.entityRef, {
      defaultKind: props.defaultKind,
    });
    return <EntityRefLink entityRef={ref} />;
  } catch {
    return <Typography variant="body2">{props.entityRef}</Typography>;
  }
};

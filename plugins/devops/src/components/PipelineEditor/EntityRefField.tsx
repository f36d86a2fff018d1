import TextField from '@material-ui/core/TextField';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApiHolder } from '@backstage/core-plugin-api';
import { catalogApiRef } from '@backstage/plugin-catalog-react';
import useAsync from 'react-use/esm/useAsync';

export type EntityRefFieldProps = {
  value: string;
  error?: string;
  onChange: (entityRef: string) => void;
};

const SUGGESTIONS_ID = 'devops-entity-refs';

/**
 * The catalog entity (the project) a pipeline created on the global page belongs to.
 * The catalog's components and systems are suggested when the app has a catalog; any
 * entity reference can be typed.
 */
export const EntityRefField = ({
  value,
  error,
  onChange,
}: EntityRefFieldProps) => {
  const catalogApi = useApiHolder().get(catalogApiRef);
  const { value: refs = [] } = useAsync(async () => {
    if (!catalogApi) return [];
    const { items } = await catalogApi.getEntities({
      filter: { kind: ['Component', 'System'] },
      fields: ['kind', 'metadata.name', 'metadata.namespace'],
      limit: 500,
    });
    return items.map(entity => stringifyEntityRef(entity));
  }, [catalogApi]);
  return (
    <>
      <TextField
        id="pipeline-entity-ref"
        label="Belongs to (catalog entity)"
        required
        placeholder="component:default/jack-2048"
        value={value}
        onChange={e => onChange(e.target.value)}
        error={Boolean(error)}
        helperText={
          error ?? 'The project of the pipeline: its members see and run it'
        }
        inputProps={{ list: SUGGESTIONS_ID }}
        fullWidth
      />
      <datalist id={SUGGESTIONS_ID}>
        {refs.map(ref => (
          <option key={ref} value={ref} />
        ))}
      </datalist>
    </>
  );
};

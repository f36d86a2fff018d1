import Box from '@material-ui/core/Box';
import TextField from '@material-ui/core/TextField';
import { EntityRefField } from './EntityRefField';

export type PipelineNameFieldsProps = {
  title: string;
  name: string;
  entityRef: string;
  /** Only a pipeline created on the global page picks its entity here. */
  entityEditable: boolean;
  errors: { name?: string; title?: string; entityRef?: string };
  onTitle: (title: string) => void;
  onName: (name: string) => void;
  onEntityRef: (entityRef: string) => void;
};

/** The display name in any language, the slug derived from it, and the owner. */
export const PipelineNameFields = (props: PipelineNameFieldsProps) => {
  const { errors } = props;
  return (
    <Box display="flex" flexWrap="wrap" gridGap={16}>
      <Box flex="2 1 260px">
        <TextField
          id="pipeline-title"
          label="Pipeline name"
          placeholder="e.g. Deploy the 2048 game"
          value={props.title}
          onChange={e => props.onTitle(e.target.value)}
          error={Boolean(errors.title)}
          helperText={
            errors.title ?? 'Any text, in any language (部署2048游戏 too)'
          }
          fullWidth
        />
      </Box>
      <Box flex="1 1 200px">
        <TextField
          id="pipeline-slug"
          label="Slug"
          required
          value={props.name}
          onChange={e => props.onName(e.target.value)}
          error={Boolean(errors.name)}
          helperText={
            errors.name ??
            'Lowercase letters, digits and "-", used in URLs and exports'
          }
          fullWidth
        />
      </Box>
      <Box flex="2 1 260px">
        {props.entityEditable ? (
          <EntityRefField
            value={props.entityRef}
            error={errors.entityRef}
            onChange={props.onEntityRef}
          />
        ) : (
          <TextField
            id="pipeline-entity-ref"
            label="Belongs to"
            value={props.entityRef}
            InputProps={{ readOnly: true }}
            error={Boolean(errors.entityRef)}
            helperText={errors.entityRef}
            fullWidth
          />
        )}
      </Box>
    </Box>
  );
};

import Dialog from '@material-ui/core/Dialog';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import TextField from '@material-ui/core/TextField';
import { useApi } from '@backstage/core-plugin-api';
import type { Pipeline } from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import { devopsApiRef } from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { DialogError, SubmitDialogActions } from '../SubmitDialog';

export type ImportPipelineDialogProps = {
  open: boolean;
  /** Suggested as the owner in the example document. */
  entityRef?: string;
  onClose: () => void;
  onImported: (pipeline: Pipeline) => void;
};

const example = (entityRef: string) => `apiVersion: devops.backstage.io/v1
kind: Pipeline
metadata:
  name: build-and-test
  entityRef: ${entityRef}
spec:
  stages:
    - name: Test
      tasks:
        - name: unit-tests
          type: runScript
          image: node
          tag: "22-alpine"
          script: npm ci && npm test`;

/**
 * Creates a pipeline from the YAML document that "Export" produces. The backend
 * validates it, so its message (naming the offending field) is shown as is.
 */
export const ImportPipelineDialog = (props: ImportPipelineDialogProps) => {
  const { open, entityRef, onClose, onImported } = props;
  const devopsApi = useApi(devopsApiRef);
  const [yaml, setYaml] = useState('');
  const [name, setName] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  const close = () => {
    setYaml('');
    setName('');
    setError(undefined);
    onClose();
  };

  const submit = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const pipeline = await devopsApi.importPipeline(
        yaml,
        name.trim() ? { name: name.trim() } : {},
      );
      setYaml('');
      setName('');
      onImported(pipeline);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={close}
      fullWidth
      maxWidth="md"
      aria-labelledby="import-pipeline-title"
    >
      <DialogTitle id="import-pipeline-title">
        Import pipeline from YAML
      </DialogTitle>
      <DialogContent>
        <DialogContentText>
          Paste a pipeline document, such as one exported from another pipeline.
        </DialogContentText>
        <TextField
          id="pipeline-yaml"
          label="Pipeline YAML"
          value={yaml}
          onChange={event => setYaml(event.target.value)}
          placeholder={example(entityRef ?? 'component:default/my-service')}
          multiline
          minRows={14}
          fullWidth
          variant="outlined"
          inputProps={{ spellCheck: false, style: { fontFamily: 'monospace' } }}
        />
        <TextField
          id="pipeline-import-name"
          label="Name (optional)"
          value={name}
          onChange={event => setName(event.target.value)}
          helperText="Imports under this name instead of the document's metadata.name: for a second copy, or when that name is taken"
          fullWidth
          margin="normal"
        />
        <DialogError error={error} />
      </DialogContent>
      <SubmitDialogActions
        submitLabel="Import"
        busy={busy}
        canSubmit={!!yaml.trim()}
        onCancel={close}
        onSubmit={submit}
      />
    </Dialog>
  );
};

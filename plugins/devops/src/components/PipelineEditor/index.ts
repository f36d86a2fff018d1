export { PipelineEditorPage } from './PipelineEditorPage';

/** Placeholder while the page is being built in this session; replaced by its author. */
export const PipelineEditorPage = () => <div>PipelineEditorPage</div>;

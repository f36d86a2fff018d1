/**
 * An example backend module for DevOps Pipelines: the "Verify files" task type.
 *
 * @packageDocumentation
 */
export { devopsModuleVerifyFiles as default } from './module';
export { verifyFilesTaskType } from './verifyFilesTaskType';

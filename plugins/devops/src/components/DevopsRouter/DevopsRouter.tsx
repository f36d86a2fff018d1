import { Progress } from '@backstage/core-components';
import { Suspense, lazy } from 'react';
import {
  Navigate,
  Route,
  Routes,
  useLocation,
  useParams,
  useResolvedPath,
} from 'react-router-dom';
import { PipelinesTable } from '../PipelinesTable';
import { DevopsTabs } from './DevopsTabs';
import { DevopsMountContext, pipelinesPath } from '../../links';

const PipelineEditorPage = lazy(() =>
  import('../PipelineEditor').then(m => ({ default: m.PipelineEditorPage })),
);
const PipelineDetailsPage = lazy(() =>
  import('../PipelineDetails').then(m => ({ default: m.PipelineDetailsPage })),
);
const RunDetailsPage = lazy(() =>
  import('../RunDetails').then(m => ({ default: m.RunDetailsPage })),
);
const ClustersPage = lazy(() =>
  import('../ClustersPage').then(m => ({ default: m.ClustersPage })),
);
const RepositoriesPage = lazy(() =>
  import('../RepositoriesPage').then(m => ({ default: m.RepositoriesPage })),
);

/**
 * A link from before pipelines moved up in an entity's tab (`…/pipelines/pipelines/<id>`)
 * still opens the pipeline, at its address now.
 */
const MovedPipelineRedirect = ({ basePath }: { basePath: string }) => {
  const { '*': rest = '' } = useParams();
  const { search } = useLocation();
  return <Navigate replace to={`${basePath}/${rest}${search}`} />;
};

export type DevopsRouterProps = {
  /** Set in an entity's Pipelines tab: lists only its pipelines, creates new ones in it. */
  entityRef?: string;
};

/**
 * The DevOps pages: the list, the editor, a pipeline's details, a run's details, the
 * clusters and the user's code repositories. The DevOps page shows tabs between the
 * list, the clusters and the repositories; an entity's tab does not, since bindings
 * belong to the portal and accounts to the user, not to an entity.
 */
export const DevopsRouter = ({ entityRef }: DevopsRouterProps) => {
  const basePath = useResolvedPath('.').pathname.replace(/\/$/, '');
  const pipelines = pipelinesPath({ entityRef });
  return (
    <DevopsMountContext.Provider value={{ basePath, entityRef }}>
      <Suspense fallback={<Progress />}>
        <Routes>
          <Route
            path="/"
            element={
              entityRef ? (
                <PipelinesTable entityRef={entityRef} />
              ) : (
                <DevopsTabs>
                  <PipelinesTable />
                </DevopsTabs>
              )
            }
          />
          <Route
            path="clusters"
            element={
              <DevopsTabs>
                <ClustersPage />
              </DevopsTabs>
            }
          />
          <Route
            path="repositories"
            element={
              <DevopsTabs>
                <RepositoriesPage />
              </DevopsTabs>
            }
          />
          <Route path={`${pipelines}new`} element={<PipelineEditorPage />} />
          <Route
            path={`${pipelines}:pipelineId`}
            element={<PipelineDetailsPage />}
          />
          <Route
            path={`${pipelines}:pipelineId/edit`}
            element={<PipelineEditorPage />}
          />
          {entityRef && (
            <Route
              path="pipelines/*"
              element={<MovedPipelineRedirect basePath={basePath} />}
            />
          )}
          <Route path="runs/:runId" element={<RunDetailsPage />} />
        </Routes>
      </Suspense>
    </DevopsMountContext.Provider>
  );
};

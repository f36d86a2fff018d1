import Typography from '@material-ui/core/Typography';
import { useApi } from '@backstage/core-plugin-api';
import type {
  CodeHostPage,
  PipelineSource,
} from '@devops-pipelines/plugin-devops-common';
import { useState } from 'react';
import useAsync from 'react-use/esm/useAsync';
import {
  devopsApiRef,
  type CodeHostBranch,
  type CodeHostProvider,
  type CodeHostRepository,
} from '../../../api';
import { errorMessage } from '../../../lib/errorMessage';
import { useCodeHostList } from '../../../lib/useCodeHostList';
import { CodeHostPicker } from './CodeHostPicker';
import { SourceCredentialsField } from './SourceCredentialsField';

/** Clone URLs (`https://…`, `ssh://…`, `git@host:path`), as opposed to a name to search for. */
const isUrl = (text: string) =>
  /^[a-z][a-z0-9+.-]*:\/\/|^[^\s@/]+@[^\s:/]+:/i.test(text.trim());

/** Why the list could not load. */
function listNote(list: { error?: Error }) {
  return list.error ? errorMessage(list.error) : undefined;
}

/** The picker's "Show more" while the host has further pages. */
const moreOf = (list: { value?: CodeHostPage<unknown>; loadMore(): void }) =>
  list.value?.nextPage ? list.loadMore : undefined;

const RepositoryOption = ({
  repository,
}: {
  repository: CodeHostRepository;
}) => (
  <div>
    <Typography variant="body2">
      {repository.name}
      {repository.private && ' (private)'}
    </Typography>
    <Typography variant="caption" color="textSecondary">
      {repository.url}
    </Typography>
  </div>
);

export type CodeHostSourceFieldsProps = {
  provider: CodeHostProvider;
  source: PipelineSource;
  /** The schema's messages by field, once a save was tried. */
  errors: Record<string, string>;
  branchHint: string;
  onChange(change: Partial<PipelineSource>): void;
};

/**
 * The repository and branch of a GitHub or GitLab source, picked from what the code
 * host lists or typed, and the credentials that read the repository.
 */
export const CodeHostSourceFields = (props: CodeHostSourceFieldsProps) => {
  const { provider, source, errors, branchHint, onChange } = props;
  const devopsApi = useApi(devopsApiRef);
  const [repositoryTyped, setRepositoryTyped] = useState('');
  const [branchTyped, setBranchTyped] = useState('');

  const repositories = useCodeHostList(
    { search: isUrl(repositoryTyped) ? '' : repositoryTyped.trim() },
    ({ search }, page) =>
      devopsApi.listRepositories(provider, { search, page }),
  );
  const branches = useCodeHostList(
    {
      repository: isUrl(source.repository) ? source.repository.trim() : '',
      search: branchTyped.trim(),
    },
    ({ repository, search }, page) =>
      repository
        ? devopsApi.listBranches(provider, repository, { search, page })
        : undefined,
  );
  const accounts = useAsync(() => devopsApi.listAccounts(), [devopsApi]);

  // A typed URL narrows the listed repositories to those it begins.
  const typedUrl = isUrl(repositoryTyped) && repositoryTyped.trim();
  const repositoryOptions = repositories.loaded.filter(
    repository => !typedUrl || repository.url.startsWith(typedUrl),
  );
  // Missing credentials fail both lists alike; saying it once is enough.
  const sameProblem =
    repositories.error !== undefined &&
    branches.error !== undefined &&
    errorMessage(repositories.error) === errorMessage(branches.error);

  const pickRepository = (repository: CodeHostRepository) => {
    const via = repositories.value?.via;
    setRepositoryTyped('');
    setBranchTyped('');
    onChange({
      repository: repository.url,
      branch: repository.defaultBranch ?? source.branch,
      // The credentials that listed the repository are those that can read it.
      accountId: via?.kind === 'account' ? via.accountId : undefined,
    });
  };

  return (
    <>
      <CodeHostPicker<CodeHostRepository>
        id="source-repository"
        label="Repository URL"
        placeholder="Search by name, or type a clone URL"
        value={source.repository}
        options={repositoryOptions}
        loading={repositories.loading}
        optionText={repository => repository.url}
        onLoadMore={moreOf(repositories)}
        renderOption={repository => (
          <RepositoryOption repository={repository} />
        )}
        onChange={repository => onChange({ repository })}
        onType={setRepositoryTyped}
        onPick={pickRepository}
        error={Boolean(errors.repository)}
        helperText={errors.repository ?? listNote(repositories)}
      />
      <CodeHostPicker<CodeHostBranch>
        id="source-branch"
        label="Branch"
        value={source.branch}
        options={branches.loaded}
        onLoadMore={moreOf(branches)}
        loading={branches.loading}
        optionText={branch => branch.name}
        onChange={branch => onChange({ branch })}
        onType={setBranchTyped}
        onPick={branch => {
          setBranchTyped('');
          onChange({ branch: branch.name });
        }}
        error={Boolean(errors.branch)}
        helperText={
          errors.branch ??
          (sameProblem ? undefined : listNote(branches)) ??
          branchHint
        }
      />
      {!accounts.loading && (
        <SourceCredentialsField
          provider={provider}
          accountId={source.accountId}
          accounts={(accounts.value ?? []).filter(
            account => account.provider === provider && account.connected,
          )}
          via={branches.value?.via}
          onChange={accountId => onChange({ accountId })}
        />
      )}
    </>
  );
};

import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  CopyTextButton,
  EmptyState,
  Link,
  WarningPanel,
} from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import { useState } from 'react';
import {
  devopsApiRef,
  type CodeHostProvider,
  type CodeHostRepository,
} from '../../api';
import { errorMessage } from '../../lib/errorMessage';
import { useCodeHostList } from '../../lib/useCodeHostList';
import { ListPanel } from '../ListPanel';
import { SearchInput } from '../SearchField';

const COLUMNS = ['Repository', 'Clone URL', 'Default branch', 'Visibility'];

const RepositoryRow = ({ repository }: { repository: CodeHostRepository }) => (
  <TableRow data-testid={`repository-row-${repository.name}`}>
    <TableCell>
      <Link to={repository.webUrl}>{repository.name}</Link>
    </TableCell>
    <TableCell>
      <Box display="flex" alignItems="center">
        <Typography variant="body2" component="code">
          {repository.url}
        </Typography>
        <CopyTextButton
          text={repository.url}
          tooltipText="Clone URL copied"
          aria-label={`Copy the clone URL of ${repository.name}`}
        />
      </Box>
    </TableCell>
    <TableCell>{repository.defaultBranch}</TableCell>
    <TableCell>
      <Chip size="small" label={repository.private ? 'Private' : 'Public'} />
    </TableCell>
  </TableRow>
);

/**
 * The repositories the connected account can read, a page at a time and searchable by
 * name: what a pipeline's source can name, with the clone URL to paste into one.
 */
export const RepositoryList = ({
  provider,
}: {
  provider: CodeHostProvider;
}) => {
  const devopsApi = useApi(devopsApiRef);
  const [text, setText] = useState('');
  const { value, loading, error, filter, page, setPage } = useCodeHostList(
    { provider, search: text.trim() },
    ({ search }, pageNumber) =>
      devopsApi.listRepositories(provider, { search, page: pageNumber }),
  );
  const items = value?.items ?? [];
  const nextPage = value?.nextPage;

  let content;
  if (error) {
    content = (
      <WarningPanel
        severity="error"
        title="The repositories could not be listed"
        defaultExpanded
      >
        {errorMessage(error)}
      </WarningPanel>
    );
  } else if (!loading && items.length === 0 && !filter.search) {
    content = (
      <EmptyState
        missing="data"
        title="This account can read no repositories"
        description="Repositories the account owns, or is a member or collaborator of, show here."
      />
    );
  } else {
    content = (
      <Table size="small">
        <TableHead>
          <TableRow>
            {COLUMNS.map(column => (
              <TableCell key={column}>{column}</TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {items.map(repository => (
            <RepositoryRow key={repository.url} repository={repository} />
          ))}
          {items.length === 0 && !loading && (
            <TableRow>
              <TableCell colSpan={COLUMNS.length}>
                <Typography variant="body2" color="textSecondary">
                  No repositories match “{filter.search}”
                </Typography>
              </TableCell>
            </TableRow>
          )}
        </TableBody>
      </Table>
    );
  }

  return (
    <ListPanel
      title="Repositories"
      loading={loading}
      tools={
        // The list debounces what is typed itself (useCodeHostList).
        <SearchInput
          label="Search repositories"
          value={text}
          onChange={setText}
        />
      }
    >
      {content}
      {(page > 1 || nextPage) && (
        <Box
          display="flex"
          alignItems="center"
          justifyContent="flex-end"
          gridGap={8}
          p={1}
        >
          <Button
            disabled={loading || page === 1}
            onClick={() => setPage(page - 1)}
          >
            Previous
          </Button>
          <Typography variant="body2">Page {page}</Typography>
          <Button
            disabled={loading || !nextPage}
            onClick={() => nextPage && setPage(nextPage)}
          >
            Next
          </Button>
        </Box>
      )}
    </ListPanel>
  );
};

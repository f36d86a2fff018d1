import TextField from '@material-ui/core/TextField';
import { CODE_HOST_NAMES } from '@devops-pipelines/plugin-devops-common';
import type {
  CodeHostAccountSummary,
  CodeHostProvider,
  RepositoryListSource,
} from '../../../api';

export type SourceCredentialsFieldProps = {
  provider: CodeHostProvider;
  accountId?: string;
  /** The signed-in user's connected accounts on the provider. */
  accounts: CodeHostAccountSummary[];
  /** Whose credentials read the repository's branches, once they were listed. */
  via?: RepositoryListSource;
  onChange(accountId: string | undefined): void;
};

function whoReads(
  name: string,
  own: CodeHostAccountSummary | undefined,
  foreign: boolean,
  via: RepositoryListSource | undefined,
) {
  if (own) return `Read with your ${name} account ${own.login}`;
  if (foreign) return 'Read with the account chosen by another user';
  if (via?.kind === 'integration') {
    return `Read with the portal's credentials for ${via.host}`;
  }
  return "Public repository, or credentials from the portal's integrations";
}

/**
 * Which credentials check the repository out: a connected account, which private
 * repositories need unless the portal's integrations can read them, or none.
 */
export const SourceCredentialsField = (props: SourceCredentialsFieldProps) => {
  const { provider, accountId, accounts, via, onChange } = props;
  const name = CODE_HOST_NAMES[provider];
  const own = accounts.find(account => account.id === accountId);
  // Another user's account, saved on the source before, stays unless replaced.
  const foreign = accountId !== undefined && !own;

  return (
    <TextField
      id="source-account"
      label="Credentials"
      select
      SelectProps={{ native: true }}
      value={accountId ?? ''}
      onChange={e => onChange(e.target.value || undefined)}
      helperText={whoReads(name, own, foreign, via)}
      fullWidth
      margin="dense"
    >
      <option value="">No account</option>
      {accounts.map(account => (
        <option key={account.id} value={account.id}>
          Your {name} account {account.login}
        </option>
      ))}
      {foreign && (
        <option value={accountId}>The account chosen by another user</option>
      )}
    </TextField>
  );
};

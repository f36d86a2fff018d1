import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { SEARCH_DEBOUNCE_MS } from '../../lib/searchDebounce';

export type SearchInputProps = {
  /** What is searched, for screen readers: "Search pipelines". */
  label: string;
  value: string;
  onChange: (text: string) => void;
};

/** The search box of a list: "Search by name", with a magnifier. */
export const SearchInput = ({ label, value, onChange }: SearchInputProps) => (
  <TextField
    type="search"
    placeholder="Search by name"
    value={value}
    onChange={event => onChange(event.target.value)}
    inputProps={{ 'aria-label': label }}
    InputProps={{
      startAdornment: (
        <InputAdornment position="start">
          <SearchIcon fontSize="small" />
        </InputAdornment>
      ),
    }}
    size="small"
  />
);

export type SearchFieldProps = {
  label: string;
  /** Called with the trimmed text once typing pauses. */
  onSearch: (q: string) => void;
};

/** Filters a list by name; each search is a request, so typing is debounced. */
export const SearchField = ({ label, onSearch }: SearchFieldProps) => {
  const [text, setText] = useState('');
  useDebounce(() => onSearch(text.trim()), SEARCH_DEBOUNCE_MS, [text]);
  return <SearchInput label={label} value={text} onChange={setText} />;
};

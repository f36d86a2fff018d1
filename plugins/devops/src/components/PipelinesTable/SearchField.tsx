import InputAdornment from '@material-ui/core/InputAdornment';
import TextField from '@material-ui/core/TextField';
import SearchIcon from '@material-ui/icons/Search';
import { useState } from 'react';
import useDebounce from 'react-use/esm/useDebounce';
import { SEARCH_DEBOUNCE_MS } from '../../lib/searchDebounce';

export type SearchFieldProps = {
  /** Called with the trimmed text once typing pauses. */
  onSearch: (q: string) => void;
};

/** Filters the list by name; each search is a request, so typing is debounced. */
export const SearchField = ({ onSearch }: SearchFieldProps) => {
  const [text, setText] = useState('');
  useDebounce(() => onSearch(text.trim()), SEARCH_DEBOUNCE_MS, [text]);
  return (
    <TextField
      type="search"
      placeholder="Search by name"
      value={text}
      onChange={event => setText(event.target.value)}
      inputProps={{ 'aria-label': 'Search pipelines' }}
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
};

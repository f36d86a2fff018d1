import Button from '@material-ui/core/Button';
import TextField from '@material-ui/core/TextField';
import Autocomplete from '@material-ui/lab/Autocomplete';
import {
  forwardRef,
  type HTMLAttributes,
  type ReactNode,
  useMemo,
} from 'react';

export type CodeHostPickerProps<T> = {
  id: string;
  label: string;
  placeholder?: string;
  /** The field's text, which is what is saved: picked or typed. */
  value: string;
  /** What the code host listed for the text typed. */
  options: T[];
  loading: boolean;
  /** The text an option puts in the field. */
  optionText(option: T): string;
  renderOption?(option: T): ReactNode;
  /** Every change of the text, typed or picked. */
  onChange(text: string): void;
  /** The text typed, to search the list for. */
  onType(text: string): void;
  onPick(option: T): void;
  /** Loads the next page of the list; undefined on its last page. */
  onLoadMore?: () => void;
  error: boolean;
  helperText?: string;
};

/**
 * A text field that offers what a code host lists (repositories, branches) as the user
 * types, and still takes any text: a list that cannot load leaves a plain field.
 */
export function CodeHostPicker<T>(props: CodeHostPickerProps<T>) {
  const { optionText, renderOption, onChange, onType, onPick, onLoadMore } =
    props;
  const text = (option: T | string) =>
    typeof option === 'string' ? option : optionText(option);
  const listbox = useMemo(() => pagedListbox(onLoadMore), [onLoadMore]);
  return (
    <Autocomplete<T | string, false, false, true>
      id={props.id}
      freeSolo
      forcePopupIcon
      openOnFocus
      ListboxComponent={listbox}
      options={props.options}
      loading={props.loading}
      // The host searched already; the field's text need not match an option's.
      filterOptions={options => options}
      getOptionLabel={text}
      renderOption={option =>
        typeof option === 'string' || !renderOption
          ? text(option)
          : renderOption(option)
      }
      value={props.value}
      inputValue={props.value}
      onInputChange={(_, value, reason) => {
        onChange(value);
        // A reset puts a picked option's text in the field, which is no search.
        if (reason !== 'reset') onType(value);
      }}
      onChange={(_, option) => {
        if (option && typeof option !== 'string') onPick(option);
      }}
      renderInput={params => (
        <TextField
          {...params}
          label={props.label}
          placeholder={props.placeholder}
          required
          error={props.error}
          helperText={props.helperText}
          fullWidth
          margin="dense"
        />
      )}
    />
  );
}

/**
 * The picker's list, with a button below the options that loads the next page: a
 * button rather than an option, so that using it keeps the list open and the text as
 * typed.
 */
function pagedListbox(onLoadMore: (() => void) | undefined) {
  return forwardRef<HTMLUListElement, HTMLAttributes<HTMLElement>>(
    function PagedListbox({ children, ...listProps }, ref) {
      return (
        <ul ref={ref} {...listProps}>
          {children}
          {onLoadMore && (
            <li>
              <Button
                size="small"
                color="primary"
                fullWidth
                // Keeps the focus (and so the list) in the field.
                onMouseDown={event => event.preventDefault()}
                onClick={onLoadMore}
              >
                Show more
              </Button>
            </li>
          )}
        </ul>
      );
    },
  );
}

export { SearchField, SearchInput } from './SearchField';

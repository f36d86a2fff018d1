/**
 * POSIX awk (busybox's too) that expands `${NAME}` in a repository file the way
 * expandKnown in devops-common does: only names listed in `-v names="A B"` expand, to
 * their environment value, where the run's variables are; other `${...}` stay as
 * written, each one written once to `-v unknown_file=...` for the log. Limiting it to
 * the listed names keeps the container's own environment (`${HOME}`, `${PATH}`) out.
 */
export const EXPAND_KNOWN_AWK = `
BEGIN {
  count = split(names, list, " ")
  for (i = 1; i <= count; i++) known[list[i]] = 1
}
{
  rest = $0
  line = ""
  while (match(rest, /[$][{][A-Za-z_][A-Za-z0-9_]*[}]/)) {
    name = substr(rest, RSTART + 2, RLENGTH - 3)
    if (name in known) {
      line = line substr(rest, 1, RSTART - 1) ENVIRON[name]
    } else {
      line = line substr(rest, 1, RSTART + RLENGTH - 1)
      if (!(name in reported)) {
        reported[name] = 1
        print "\${" name "}" > unknown_file
      }
    }
    rest = substr(rest, RSTART + RLENGTH)
  }
  print line rest
}
`;

#!/bin/sh
# The demo's "unit tests": check that the page has a board and a title.
set -e
grep -q '<div id="board">' index.html && echo "ok 1 - the page has a board"
grep -q '<title>2048</title>' index.html && echo "ok 2 - the page has a title"
echo "1..2"

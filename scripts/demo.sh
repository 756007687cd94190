#!/usr/bin/env bash
# Sets up (scripts/setup.sh), builds the renderer and the server, and runs the
# demo: tulip-server with dev login and the demo bots, serving the demo pages
# from dist/ on an embedded SQLite database. Prints the address to open.
#
#   ./scripts/demo.sh                      http://127.0.0.1:8080/
#   PORT=9000 ADDRESS=0.0.0.0 ./scripts/demo.sh
#   DB=/tmp/other.db ./scripts/demo.sh     another database file (default: tulip-demo.db)
#   DEMO_PROFILE=dev ./scripts/demo.sh     debug build of the renderer (faster to compile)
#
# Stop it with Ctrl-C.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/env.sh"

ADDRESS="${ADDRESS:-127.0.0.1}"
PORT="${PORT:-8080}"
DB="${DB:-$ROOT/tulip-demo.db}"

"$ROOT/scripts/setup.sh"

RELEASE=(--release)
if [ "${DEMO_PROFILE:-release}" = dev ]; then RELEASE=(); fi

echo "==== building the renderer with trunk (${DEMO_PROFILE:-release})"
trunk build "${RELEASE[@]}" --offline

echo "==== building the embeddable bundle (dist/embed)"
"$ROOT/scripts/build-embed.sh"

echo "==== building tulip-server"
cargo build --release -p tulip-server

URL="http://$ADDRESS:$PORT"
cat <<EOF
==== demo: open $URL/ (Ctrl-C to stop; database: $DB)
  gallery     $URL/#gallery
  chat        $URL/#chat            (two windows, two names: two players;
                                     or $URL/#chat?name=alice and ?name=bob)
  playground  $URL/#playground
  benchmark   $URL/#bench
  embedding   $URL/embed/example.html?name=carol
  in the chat, try: /tictactoe @bob, /battleship, /blackjack, /whack, /rpg, /mud, /lobby tictactoe
EOF
exec "$ROOT/target/release/tulip-server" \
  --addr "$ADDRESS:$PORT" \
  --db "$DB" \
  --dev-login \
  --demo-bots \
  --static "$ROOT/dist"

# Sourced by bin/siaga and bin/siaga-district once they have found the checkout ($here).
# launch ENTRY.ts BUNDLE.mjs ARGS...: runs the esbuild bundle (scripts/build.mjs) when it exists and
# no source it is built from is newer, else the TypeScript through tsx. The bundle starts in about
# 0.4 s, tsx in 1-2 s; a stale bundle would run yesterday's code, so any newer source means tsx.
# The check stops at the first newer file (find -quit): a few milliseconds on a checkout.
# SIAGA_DEBUG_LAUNCH=1 prints the path taken (and why) on stderr.
launch() {
  entry="$1"
  bundle="$2"
  shift 2
  reason=""
  if [ ! -f "$here/$bundle" ]; then
    reason="no $bundle (npm run build makes it)"
  else
    newer="$(cd "$here" && find protocol link native electron district resources -newer "$bundle" -type f -print -quit 2>/dev/null)"
    if [ -n "$newer" ]; then
      reason="$newer is newer than $bundle"
    fi
  fi
  if [ -z "$reason" ]; then
    [ -n "$SIAGA_DEBUG_LAUNCH" ] && echo "siaga launch: bundle $bundle" >&2
    exec node "$here/$bundle" "$@"
  fi
  [ -n "$SIAGA_DEBUG_LAUNCH" ] && echo "siaga launch: tsx $entry ($reason)" >&2
  exec node --import "$here/node_modules/tsx/dist/esm/index.mjs" "$here/$entry" "$@"
}

#!/bin/sh
# Draws Siaga's icons into resources/icons/ with ImageMagick (convert): a green shield with a white
# check mark ("siaga" = ready). Run it after changing the design and commit what it writes; the
# build does not run it. electron-builder.yml and electron/main.ts name these files, and
# tests/unit/build/packaging.test.ts checks that they exist and have the sizes below.
#   tray.png 16x16, tray@2x.png 32x32   tray icon (Electron picks @2x on HiDPI screens)
#   icon.png 256x256                    window icon
#   icon.ico 16..256 in one file        Windows executable, installer and uninstaller
#   linux/NxN.png 16..512               Linux icon set (the file name carries the size)
set -eu
cd "$(dirname "$0")/.."
out=resources/icons
mkdir -p "$out/linux"
master="$(mktemp --suffix=.png)"
trap 'rm -f "$master"' EXIT

# 1024x1024 master; every size is scaled down from it so the small ones stay smooth.
convert -size 1024x1024 xc:none \
  -fill '#1b7f3b' -stroke '#0f5a28' -strokewidth 24 \
  -draw "path 'M 512,56 L 904,184 L 904,472 C 904,724 732,884 512,968 C 292,884 120,724 120,472 L 120,184 Z'" \
  -fill none -stroke white -strokewidth 120 \
  -draw "stroke-linecap round stroke-linejoin round polyline 300,520 452,672 736,372" \
  "$master"

# -strip and no date chunks: the same design gives the same bytes, so a re-run leaves git clean.
png() {
  convert "$master" -resize "$1x$1" -strip -define png:exclude-chunks=date,time "PNG32:$2"
}
png 16 "$out/tray.png"
png 32 "$out/tray@2x.png"
png 256 "$out/icon.png"
for size in 16 32 48 64 128 256 512; do
  png "$size" "$out/linux/${size}x${size}.png"
done
convert "$master" -strip -define icon:auto-resize=256,128,64,48,32,24,16 "$out/icon.ico"
echo "icons written to $out"

#!/bin/sh
# deb after-install: autostart Siaga in every desktop session.
set -e
mkdir -p /etc/xdg/autostart
cat > /etc/xdg/autostart/siaga.desktop <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Siaga
Exec=/opt/Siaga/siaga
X-GNOME-Autostart-enabled=true
DESKTOP

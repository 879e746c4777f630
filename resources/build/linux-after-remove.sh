#!/bin/sh
# deb after-remove: no more autostart. Station data in ~/.siaga is kept.
rm -f /etc/xdg/autostart/siaga.desktop

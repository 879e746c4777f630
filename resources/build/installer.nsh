; Included by electron-builder's NSIS script (electron-builder.yml nsis.include).
; Per-machine autostart: every user who logs in to the station PC gets Siaga.
!macro customInstall
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Siaga" '"$INSTDIR\Siaga.exe"'
  ; Station data (store, profile, identity) lives in %PROGRAMDATA%\Siaga for every account.
  CreateDirectory "$COMMONAPPDATA\Siaga"
!macroend

!macro customUnInstall
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Siaga"
  ; The data directory is kept: queued reports must survive a reinstall.
!macroend

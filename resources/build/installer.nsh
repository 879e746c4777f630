; Included by electron-builder's NSIS script (electron-builder.yml nsis.include).
; Per-machine autostart: every user who logs in to the station PC gets Siaga.
!macro customInstall
  WriteRegStr HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Siaga" '"$INSTDIR\Siaga.exe"'
  ; Station data (store, profile, identity) lives in %PROGRAMDATA%\Siaga for every account.
  CreateDirectory "$COMMONAPPDATA\Siaga"
  ; It holds the station's private key, the PIN hash and operators' NIPs: %PROGRAMDATA% lets every
  ; local account read what is below it, so inheritance is removed and only SYSTEM (S-1-5-18),
  ; Administrators (S-1-5-32-544) and the account installing (the one that runs the kiosk) keep
  ; access. SIDs, not names: names are localised. The app checks this ACL at every start
  ; (PC_DATA_FOLDER_OPEN).
  ; One icacls call grants first and drops inheritance in the same step, so the folder is never left
  ; without an owner; existing files (a reinstall) are then reset to inherit only from it.
  ReadEnvStr $0 USERNAME
  ReadEnvStr $1 USERDOMAIN
  nsExec::ExecToLog 'icacls "$COMMONAPPDATA\Siaga" /inheritance:r /grant:r *S-1-5-18:(OI)(CI)F *S-1-5-32-544:(OI)(CI)F "$1\$0:(OI)(CI)F"'
  nsExec::ExecToLog 'icacls "$COMMONAPPDATA\Siaga\*" /reset /T /C /Q'
!macroend

!macro customUnInstall
  DeleteRegValue HKLM "Software\Microsoft\Windows\CurrentVersion\Run" "Siaga"
  ; The data directory is kept: queued reports must survive a reinstall.
!macroend

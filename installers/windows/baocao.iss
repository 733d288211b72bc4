; Inno Setup 6 script: installs the folder built by installers/build.py for the current user
; only (no administrator rights), with a Start-menu entry and an optional desktop shortcut.
;
;   python installers\build.py
;   iscc /DAppVersion=0.1.0 installers\windows\baocao.iss
;   -> dist\baocao-0.1.0-windows-x64-setup.exe
;
; The program goes to %LOCALAPPDATA%\Programs\BaoCao. The office's data (database, keys,
; backups, outbox) lives apart, in %LOCALAPPDATA%\BaoCao (platformdirs' user data folder, see
; desktop_app/core/paths.py): the uninstaller removes only the files it installed, so the data
; stays. Inno Setup ships no Vietnamese translation of its own screens, so they are in English;
; the names, shortcuts and our own messages are Vietnamese, and docs/cai-dat.md walks through
; each screen in Vietnamese. This file is UTF-8 with a byte order mark (Inno needs the mark).

#ifndef AppVersion
  #error Pass the version from pyproject.toml: iscc /DAppVersion=x.y.z baocao.iss
#endif
#ifndef SourceFolder
  #define SourceFolder "..\..\dist\baocao"
#endif
#ifndef OutputFolder
  #define OutputFolder "..\..\dist"
#endif
#define AppName "Báo cáo"
#define GuiExe "baocao-desktop.exe"

[Setup]
AppId={{2D3877E7-DB29-4CF7-8F4B-2C4CC62897A2}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher={#AppName}
VersionInfoVersion={#AppVersion}
VersionInfoProductName={#AppName}
; Per-user: no UAC prompt, works on an office computer where the clerk is not an administrator.
PrivilegesRequired=lowest
DefaultDirName={localappdata}\Programs\BaoCao
DisableDirPage=yes
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputFolder}
OutputBaseFilename=baocao-{#AppVersion}-windows-x64-setup
SetupIconFile=baocao.ico
UninstallDisplayIcon={app}\{#GuiExe}
UninstallDisplayName={#AppName}
; Solid LZMA2 stores baocao.exe and baocao-desktop.exe (same code, console flag apart) once.
Compression=lzma2/ultra64
SolidCompression=yes
WizardStyle=modern
CloseApplications=yes
ShowLanguageDialog=no

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"

[CustomMessages]
en.DesktopIcon=Tạo biểu tượng «Báo cáo» trên màn hình (Create a desktop shortcut)
en.Launch=Mở Báo cáo ngay (Start Báo cáo now)
en.Comment=Lập, phê duyệt, ký và gửi báo cáo
en.DataKept=Đã gỡ chương trình Báo cáo. Dữ liệu của đơn vị (báo cáo, khóa ký, bản sao lưu) vẫn được giữ nguyên tại:%n%n%1%n%nCài lại Báo cáo là dùng tiếp được.%n%n(The program is removed; the office's data is kept in the folder above.)

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"

[InstallDelete]
; Clear the previous version's program files before copying the new ones (never the data).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#SourceFolder}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Comment: "{cm:Comment}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#GuiExe}"; Comment: "{cm:Comment}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#GuiExe}"; Description: "{cm:Launch}"; Flags: nowait postinstall skipifsilent

[Code]
// After uninstalling, say where the data still is, so nobody thinks it was lost.
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox(FmtMessage(CustomMessage('DataKept'), [ExpandConstant('{localappdata}\BaoCao')]),
      mbInformation, MB_OK);
end;

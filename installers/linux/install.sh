#!/bin/sh
# Cài Báo cáo cho người dùng hiện tại (không cần quyền quản trị), từ thư mục đã giải nén:
#   ./install.sh              cài hoặc cập nhật
#   ./install.sh --uninstall  gỡ chương trình; dữ liệu (~/.local/share/BaoCao) được giữ nguyên
set -eu

here=$(cd "$(dirname "$0")" && pwd)
data_home=${XDG_DATA_HOME:-"$HOME/.local/share"}
app_dir="$HOME/.local/opt/baocao"
bin_dir="$HOME/.local/bin"
menu_file="$data_home/applications/baocao.desktop"
icon_svg="$data_home/icons/hicolor/scalable/apps/baocao.svg"
icon_png="$data_home/icons/hicolor/256x256/apps/baocao.png"

uninstall() {
    rm -rf "$app_dir"
    rm -f "$bin_dir/baocao" "$bin_dir/baocao-desktop" "$menu_file" "$icon_svg" "$icon_png"
    echo "Đã gỡ Báo cáo. Dữ liệu của đơn vị vẫn còn ở $data_home/BaoCao."
}

install() {
    if [ ! -x "$here/baocao" ] || [ ! -d "$here/_internal" ]; then
        echo "Không thấy chương trình bên cạnh install.sh; hãy chạy từ thư mục đã giải nén." >&2
        exit 2
    fi
    # Copy into a new folder first, then swap, so a failed copy leaves the old version working.
    mkdir -p "$(dirname "$app_dir")" "$bin_dir" "$(dirname "$menu_file")" \
        "$(dirname "$icon_svg")" "$(dirname "$icon_png")"
    rm -rf "$app_dir.new"
    cp -R "$here" "$app_dir.new"
    rm -rf "$app_dir"
    mv "$app_dir.new" "$app_dir"
    ln -sf "$app_dir/baocao" "$bin_dir/baocao"
    ln -sf "$app_dir/baocao-desktop" "$bin_dir/baocao-desktop"
    cp "$here/share/baocao.svg" "$icon_svg"
    cp "$here/share/baocao.png" "$icon_png"
    sed -e "s|^Exec=.*|Exec=\"$app_dir/baocao-desktop\"|" \
        -e "s|^TryExec=.*|TryExec=$app_dir/baocao-desktop|" \
        "$here/share/baocao.desktop" > "$menu_file"
    command -v update-desktop-database >/dev/null 2>&1 \
        && update-desktop-database "$(dirname "$menu_file")" >/dev/null 2>&1 || true
    echo "Đã cài Báo cáo vào $app_dir. Mở từ trình đơn ứng dụng: «Báo cáo»."
}

case "${1:-}" in
    --uninstall) uninstall ;;
    "") install ;;
    *) echo "Cách dùng: ./install.sh [--uninstall]" >&2; exit 2 ;;
esac

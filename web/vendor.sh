#!/bin/sh
# Copies the libraries package.json pins (exact versions, package-lock.json) into the package:
# kg serves them from /static/vendor, so its pages need no network. Run by `make vendor`.
set -eu
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../kg/server/static/vendor
rm -rf "$out" && mkdir -p "$out"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js node_modules/@zazuko/yasgui/build/yasgui.min.css "$out/"
cp node_modules/@zazuko/yasgui/build/yasgui.min.js.LICENSE.txt "$out/yasgui.LICENSE.txt"
cp node_modules/cytoscape/dist/cytoscape.min.js "$out/" && cp node_modules/cytoscape/LICENSE "$out/cytoscape.LICENSE.txt"
for p in vega vega-lite vega-embed vega-interpreter; do
  cp "node_modules/$p/build/$p.min.js" "$out/"
  # vega-interpreter ships no LICENSE file: it is part of the vega repository, under vega's BSD-3-Clause
  if [ -f "node_modules/$p/LICENSE" ]; then cp "node_modules/$p/LICENSE" "$out/$p.LICENSE.txt"
  else cp node_modules/vega/LICENSE "$out/$p.LICENSE.txt"; fi
done
cp node_modules/world-atlas/countries-110m.json "$out/" && cp node_modules/world-atlas/LICENSE "$out/world-atlas.LICENSE.txt"
# one line per library: name, exact version, licence (the README's table is read from it)
node -e '
const fs = require("fs");
const names = Object.keys(require("./package.json").dependencies);
const rows = names.map(n => { const p = require(`./node_modules/${n}/package.json`); return `${n}\t${p.version}\t${p.license}`; });
fs.writeFileSync(process.argv[1], rows.join("\n") + "\n");' "$out/VERSIONS.tsv"

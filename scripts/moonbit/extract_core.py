"""Writes the MoonBit core library sources that @moonbit/moonpad-monaco bundles (base64 strings) under a folder."""
import base64
import os
import re
import sys

bundle, out = sys.argv[1], sys.argv[2]
s = open(bundle, encoding="utf-8", errors="replace").read()
files = re.findall(r'i\["(/lib/core/[^"]+)"\] = (\w+);', s)
blobs = dict(re.findall(r'\b(\w+) = d\("([A-Za-z0-9+/=]*)"\)', s))
for path, var in files:
    target = os.path.join(out, path[len("/lib/core/"):])
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as f:
        f.write(base64.b64decode(blobs[var]))
print(f"{len(files)} files", file=sys.stderr)

#!/usr/bin/env python3
"""The software ledger (issue 21, R8.3; specification 別記 15) ⑤): every Debian package of
scripts/deps/*.txt with its installed version (dpkg-query) and licences (the DEP-5 "License:"
fields of /usr/share/doc/<package>/copyright where parseable), and every npm package of
package-lock.json, as a CycloneDX 1.5 JSON SBOM. Run by the build (src/compliance/CMakeLists.txt),
which embeds the result in the binary: `kakehashi sbom` prints it, the ledger screen reads it.

Usage: sbom.py SOURCE_DIR VERSION > sbom.json
"""
import json
import pathlib
import re
import subprocess
import sys
import uuid

source = pathlib.Path(sys.argv[1])
version = sys.argv[2] if len(sys.argv) > 2 else "0.0.0"

# Debian 12 "bookworm": regular security support ended 2026-06-10; LTS until 2028-06-30.
DEBIAN_END_OF_SUPPORT = "2028-06-30"
# Where each list is used (scripts/deps/<list>.txt).
MODULE = {
    "core": "ビルド・サーバー・保存・認証・監査・画面・試験",
    "docs": "文書エンジン（PDF・DOCX・XLSX）",
    "inspect": "公開前の安全確認（inspect）",
    "calendar": "祝日の独立検証（試験）",
    "bench": "性能測定（bench）",
}


def dpkg(package, field):
    result = subprocess.run(["dpkg-query", "-W", "-f", "${" + field + "}", package], capture_output=True, text=True)
    return result.stdout.strip() if result.returncode == 0 else ""


def licences(package):
    path = pathlib.Path("/usr/share/doc") / package / "copyright"
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    if not text.startswith("Format:"):
        return []  # not machine-readable (DEP-5): unknown
    found = []
    for match in re.finditer(r"^License:\s*(\S[^\n]*)$", text, re.M):
        name = match.group(1).strip()
        if name and name not in found:
            found.append(name)
    return found[:6]


components = []
seen = set()
for listing in sorted((source / "scripts" / "deps").glob("*.txt")):
    module = MODULE.get(listing.stem, listing.stem)
    for line in listing.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].strip()
        if not name or name in seen:
            continue
        seen.add(name)
        installed = dpkg(name, "Version")
        component = {
            "type": "library" if name.startswith("lib") else "application",
            "bom-ref": f"deb:{name}",
            "name": name,
            "version": installed or "未導入",
            "purl": f"pkg:deb/debian/{name}@{installed}?distro=debian-12" if installed else f"pkg:deb/debian/{name}?distro=debian-12",
            "properties": [
                {"name": "kakehashi:ecosystem", "value": "Debian 12"},
                {"name": "kakehashi:used-in", "value": module},
                {"name": "kakehashi:end-of-support", "value": DEBIAN_END_OF_SUPPORT},
            ],
        }
        found = licences(name)
        if found:
            component["licenses"] = [{"license": {"name": n}} for n in found]
        components.append(component)

lock = json.loads((source / "package-lock.json").read_text(encoding="utf-8"))
manifest = json.loads((source / "package.json").read_text(encoding="utf-8"))
vendored = set(manifest.get("dependencies", {}))
for path, info in sorted(lock.get("packages", {}).items()):
    if not path.startswith("node_modules/"):
        continue
    name = path[len("node_modules/"):]
    shipped = name in vendored
    component = {
        "type": "library",
        "bom-ref": f"npm:{name}",
        "name": name,
        "version": info.get("version", ""),
        "scope": "required" if shipped else "excluded",
        "purl": f"pkg:npm/{name.replace('@', '%40')}@{info.get('version', '')}",
        "properties": [
            {"name": "kakehashi:ecosystem", "value": "npm"},
            {"name": "kakehashi:used-in", "value": "画面（バイナリに同梱）" if shipped else "試験（ブラウザー・HTTP）"},
            {"name": "kakehashi:end-of-support", "value": "—"},
        ],
    }
    if info.get("license"):
        component["licenses"] = [{"license": {"name": info["license"]}}]
    components.append(component)

bom = {
    "bomFormat": "CycloneDX",
    "specVersion": "1.5",
    "serialNumber": "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, "kakehashi-sbom-" + version + "-" + str(len(components)))),
    "version": 1,
    "metadata": {
        "component": {"type": "application", "bom-ref": "kakehashi", "name": "kakehashi", "version": version},
        "properties": [{"name": "kakehashi:generated-by", "value": "scripts/sbom.py"}],
    },
    "components": components,
}
json.dump(bom, sys.stdout, ensure_ascii=False, indent=1)
sys.stdout.write("\n")

"""Copies the front-end libraries member pages use from node_modules into static/vendor/.

Each package in ``VENDORED`` goes to ``static/vendor/<package>-<version>/`` (the version from
package-lock.json) with its licence, exactly as npm installed it. The copies are committed: the
Docker image is built without npm, and nothing is loaded from a CDN. Run by ``make vendor``;
``site_core/tests/test_vendor.py`` checks that the copies match the lock file.
"""

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
VENDOR = ROOT / "static" / "vendor"

# Package → the files member pages load, relative to the package's directory (minified builds).
VENDORED: dict[str, tuple[str, ...]] = {
    "leaflet": (
        "LICENSE",
        "dist/leaflet.js",
        "dist/leaflet.css",
        "dist/images/layers.png",
        "dist/images/layers-2x.png",
        "dist/images/marker-icon.png",
        "dist/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png",
    ),
    "photoswipe": (
        "LICENSE",
        "dist/umd/photoswipe.umd.min.js",
        "dist/umd/photoswipe-lightbox.umd.min.js",
        "dist/photoswipe.css",
    ),
}


def locked_versions(lock_file: Path = ROOT / "package-lock.json") -> dict[str, str]:
    packages = json.loads(lock_file.read_text())["packages"]
    return {name: packages[f"node_modules/{name}"]["version"] for name in VENDORED}


def vendor_directory(name: str, version: str) -> Path:
    return VENDOR / f"{name}-{version}"


def main() -> int:
    versions = locked_versions()
    wanted = {vendor_directory(name, version) for name, version in versions.items()}
    for stale in VENDOR.glob("*"):
        if stale.is_dir() and stale not in wanted:
            shutil.rmtree(stale)
    for name, version in versions.items():
        installed = json.loads((NODE_MODULES / name / "package.json").read_text())["version"]
        if installed != version:
            print(
                f"node_modules/{name} is {installed}, the lock file says {version}: run npm ci",
                file=sys.stderr,
            )
            return 1
        target = vendor_directory(name, version)
        for relative in VENDORED[name]:
            destination = target / relative
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(NODE_MODULES / name / relative, destination)
        print(f"static/vendor/{target.name}: {len(VENDORED[name])} files")
    return 0


if __name__ == "__main__":
    sys.exit(main())

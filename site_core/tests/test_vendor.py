"""The front-end libraries in static/vendor/ are the ones package-lock.json names, byte for byte."""

import importlib.util
import json
from pathlib import Path

from django.conf import settings

from site_core.tests.requirements import require

ROOT = Path(settings.BASE_DIR)
spec = importlib.util.spec_from_file_location("vendor_script", ROOT / "scripts" / "vendor.py")
vendor = importlib.util.module_from_spec(spec)
spec.loader.exec_module(vendor)


def test_each_vendored_library_is_the_locked_version_with_its_licence():
    for name, version in vendor.locked_versions().items():
        directory = vendor.vendor_directory(name, version)
        missing = [relative for relative in vendor.VENDORED[name] if not (directory / relative).is_file()]
        assert missing == [], f"static/vendor/{directory.name} lacks {missing}: run `make vendor`"
        assert (directory / "LICENSE").read_text().strip()


def test_no_other_version_or_library_is_left_in_static_vendor():
    expected = {
        vendor.vendor_directory(name, version).name for name, version in vendor.locked_versions().items()
    }
    assert {path.name for path in vendor.VENDOR.iterdir()} == expected


def test_vendored_files_match_what_npm_installed_from_the_lock_file():
    versions = vendor.locked_versions()
    installed = {
        name: json.loads(package.read_text())["version"]
        for name in versions
        if (package := vendor.NODE_MODULES / name / "package.json").is_file()
    }
    require("node_modules", installed == versions, f"installed {installed}, locked {versions}")
    for name, version in versions.items():
        directory = vendor.vendor_directory(name, version)
        for relative in vendor.VENDORED[name]:
            copy = (directory / relative).read_bytes()
            assert copy == (vendor.NODE_MODULES / name / relative).read_bytes(), (
                f"{directory.name}/{relative}"
            )


def test_pages_can_load_every_vendored_file_as_a_static_file():
    from django.contrib.staticfiles import finders

    for name, version in vendor.locked_versions().items():
        for relative in vendor.VENDORED[name]:
            assert finders.find(f"vendor/{name}-{version}/{relative}"), relative

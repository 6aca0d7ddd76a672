"""The import-linter contract in pyproject.toml (`make lint` runs it) lists every package of ours, so a
new app cannot sit outside the layers and import whatever it likes."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

PYPROJECT = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
LINTER = PYPROJECT["tool"]["importlinter"]


def first_party_packages() -> set[str]:
    return {path.parent.name for path in Path(settings.BASE_DIR).glob("*/__init__.py")}


def layered_packages() -> list[str]:
    (contract,) = [contract for contract in LINTER["contracts"] if contract["id"] == "layers"]
    return [name.strip() for layer in contract["layers"] for name in layer.split("|")]


def test_every_package_of_ours_has_a_place_in_the_layers():
    layered = layered_packages()
    assert sorted(layered) == sorted(set(layered)), "a package is in two layers"
    assert set(layered) == first_party_packages()
    assert set(LINTER["root_packages"]) == first_party_packages()


def test_every_installed_app_of_ours_is_a_layered_package():
    ours = {
        config.name
        for config in apps.get_app_configs()
        if Path(config.path).parent == Path(settings.BASE_DIR)
    }
    assert ours, "no first-party app found"
    assert ours <= set(layered_packages())


def test_the_wiring_is_on_top_and_the_libraries_at_the_bottom():
    layered = layered_packages()
    assert layered[0] == "site_core"
    assert set(layered[-2:]) == {"ml", "korean"}
    for library in ("ml", "korean"):
        config = apps.get_containing_app_config(library)
        assert config is None or not list(config.get_models()), f"{library} is a library: no models"

"""Packages found, not listed (the rest of the build is in pyproject.toml).

pyproject.toml's `packages.find` searches one folder tree, but the one `tlkit` package is made of
three (package-dir there): src/tlkit, widgets/ and datasets/. Data-only content folders whose
names Python could import are found as namespace packages, as setuptools wants them listed;
package-data ships their files, and those of folders like content/self-assessment.
"""

from setuptools import find_namespace_packages, setup


def _found(where: str, prefix: str = "") -> list[str]:
    return [prefix + name for name in find_namespace_packages(where)
            if all(part.isidentifier() for part in name.split(".")) and "__pycache__" not in name]


setup(packages=sorted([*_found("src"), "tlkit.widgets", *_found("widgets", "tlkit.widgets."),
                       "tlkit.datasets"]))

"""`civitas bootstrap`: migrate, load the catalogue and the demo city, ensure an administrator."""

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from civitas.accounts.models import User
from civitas.catalogue.models import StakeholderType
from civitas.catalogue.services import shipped_catalogue


def bootstrap(*args: str) -> str:
    out = StringIO()
    call_command("bootstrap", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.mark.django_db
def test_first_run_creates_the_administrator_and_prints_its_password(data_dir: Path) -> None:
    output = bootstrap("--no-demo", "--url", "http://127.0.0.1:9000/")

    admin = User.objects.get(is_superuser=True)
    password = (data_dir / "initial-admin-password").read_text().split()[1]
    assert admin.check_password(password)
    assert "http://127.0.0.1:9000/" in output
    assert f"Username:  {admin.username}" in output
    assert f"Password:  {password}" in output
    assert "change it after logging in" in output


@pytest.mark.django_db
def test_second_run_changes_nothing_and_points_to_the_password_file(data_dir: Path) -> None:
    first = bootstrap("--no-demo")
    password = (data_dir / "initial-admin-password").read_text().split()[1]

    second = bootstrap("--no-demo")

    assert User.objects.filter(is_superuser=True).count() == 1
    assert password in first
    assert password not in second
    assert str(data_dir / "initial-admin-password") in second
    assert "is up to date" in second
    assert StakeholderType.objects.count() == len(shipped_catalogue()["types"])


@pytest.mark.django_db
def test_an_existing_administrator_is_kept(data_dir: Path) -> None:
    User.objects.create_superuser(username="chief", email="", password="a long pass phrase")

    output = bootstrap("--no-demo")

    assert list(User.objects.filter(is_superuser=True).values_list("username", flat=True)) == [
        "chief"
    ]
    assert "Username:  chief" in output
    assert not (data_dir / "initial-admin-password").exists()


@pytest.mark.django_db
def test_bootstrap_with_the_demo_city_runs_twice(data_dir: Path) -> None:
    bootstrap()
    users = User.objects.count()

    bootstrap()

    assert User.objects.count() == users
    assert User.objects.filter(is_superuser=True).count() == 1

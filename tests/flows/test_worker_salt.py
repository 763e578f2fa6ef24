"""The salt of a run: curated/.salt on one machine; on a worker, the one every worker shares
(SKILLGAP_SALT or the Secret block), refused when missing or when the two disagree."""

from __future__ import annotations

from pathlib import Path

import pytest

from flows.settings import Settings
from flows.worker import run_salt
from transforms.core.salt import SALT_FILE, SaltError, shared_salt


def test_a_local_run_without_a_salt_makes_one_once_and_keeps_it(tmp_path: Path) -> None:
    settings = Settings(curated_dir=tmp_path)
    first = run_salt(settings)
    assert len(first) == 64 and (tmp_path / SALT_FILE).read_text() == first
    assert run_salt(settings) == first


def test_a_salt_given_in_the_settings_wins_on_a_worker_too(tmp_path: Path) -> None:
    settings = Settings(curated_dir=tmp_path, salt="given", on_worker=True)
    assert run_salt(settings) == "given"
    assert not (tmp_path / SALT_FILE).exists()


def test_a_worker_takes_the_salt_from_its_environment_or_the_secret_block() -> None:
    assert shared_salt("from-env", None, block="b") == "from-env"
    assert shared_salt(None, "from-block", block="b") == "from-block"
    assert shared_salt("same", "same", block="b") == "same"
    assert shared_salt("", "from-block", block="b") == "from-block"  # empty is unset


def test_a_worker_without_a_salt_refuses_and_says_where_to_put_one() -> None:
    with pytest.raises(SaltError) as error:
        shared_salt(None, "", block="team-salt")
    message = str(error.value)
    assert "no pseudonymisation salt on this worker" in message
    assert "Secret block named 'team-salt'" in message and "SKILLGAP_SALT" in message


def test_a_worker_whose_environment_and_secret_block_disagree_refuses() -> None:
    with pytest.raises(SaltError, match="differs from the Prefect Secret block 'b'"):
        shared_salt("one", "other", block="b")

"""The class list: names that cannot leave the data folder, salted PIN hashes, and a brake on guessing."""

from __future__ import annotations

import hashlib
import re

import pytest

from tutor.learners import (FREE_TRIES, LOCK_BASE, LOCK_MAX, BadName, BadPin, Registry, check_pin_rule,
                            clean_name, folder_name, hash_pin, learner_folder, lock_seconds, pin_matches)


class Clock:
    def __init__(self, now: float = 1_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


HOSTILE = ["../x", "../../etc/passwd", "/etc/passwd", "..", ".", "a/../../b", "C:\\Windows\\system32",
           "~root", "$(rm -rf ~)", "李雷", "Zoë", "ZOË", "𝔸𝕟𝕒", "x" * 40, "nul", "con", "-rf", " spaced  out "]


@pytest.mark.parametrize("name", HOSTILE)
def test_every_name_gets_a_plain_folder_inside_the_class(tmp_path, name):
    folder = learner_folder(tmp_path, name)
    assert folder.parent == (tmp_path / "learners").resolve()
    assert re.fullmatch(r"[a-z0-9][a-z0-9-]*-[0-9a-f]{10}", folder.name), folder.name
    assert len(folder.name) <= 35


def test_names_differing_only_in_case_width_or_spacing_are_one_learner():
    assert folder_name("Zoë") == folder_name("ZOË") == folder_name(" zoë ") == folder_name("Ｚｏë")
    assert folder_name("Ana  Lima") == folder_name("ana lima")


def test_names_that_look_alike_in_ascii_still_get_their_own_folders():
    names = ["José", "Jose", "Jose!", "José.", "李雷", "李磊", "../x", "x"]
    assert len({folder_name(n) for n in names}) == len(names)


@pytest.mark.parametrize("bad", ["", "   ", "a\x00b", "tab\there", "line\nbreak", "\u202eevil", "x" * 41, "\ud800"])
def test_unusable_names_are_refused_in_words(bad):
    with pytest.raises(BadName):
        clean_name(bad)


def test_the_digest_part_is_sha256_of_the_identity():
    # an independent derivation: NFKC + casefold of "Ana" is "ana"
    assert folder_name("ANA").endswith(hashlib.sha256(b"ana").hexdigest()[:10])


def test_pins_are_salted_scrypt_hashes():
    a, b = hash_pin("1234"), hash_pin("1234")
    assert a != b  # a fresh salt each time
    assert a.startswith("scrypt$") and "1234" not in a
    algorithm, n, r, p, salt, digest = a.split("$")
    expected = hashlib.scrypt(b"1234", salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    assert digest == expected.hex()
    assert pin_matches("1234", a) and not pin_matches("1235", a) and not pin_matches("1234", "garbage")


@pytest.mark.parametrize("pin", ["123", "123456789", "12a4", "１２３４", " 1234", ""])
def test_pin_rule_is_four_to_eight_ascii_digits(pin):
    with pytest.raises(BadPin):
        check_pin_rule(pin)


def test_a_wrong_pin_opens_nothing_and_repeated_guessing_locks_the_name(tmp_path):
    clock = Clock()
    with Registry(tmp_path, clock=clock) as reg:
        assert reg.enrol("Ana", "1234").learner is not None
        for n in range(1, FREE_TRIES):
            refused = reg.sign_in("Ana", "0000")
            assert refused.learner is None and refused.wait == 0
        locked = reg.sign_in("Ana", "0000")
        assert locked.learner is None and locked.wait == LOCK_BASE
        # while locked even the right PIN is not checked
        assert reg.sign_in("Ana", "1234").learner is None
        clock.now += LOCK_BASE + 1
        assert reg.sign_in("ana", "1234").learner.name == "Ana"  # the lock ran out; the count starts again
        for _ in range(FREE_TRIES - 1):
            assert reg.sign_in("Ana", "0000").wait == 0


def test_the_lock_grows_and_is_capped():
    assert [lock_seconds(n) for n in range(FREE_TRIES)] == [0.0] * FREE_TRIES
    assert lock_seconds(FREE_TRIES) == LOCK_BASE and lock_seconds(FREE_TRIES + 1) == 2 * LOCK_BASE
    assert lock_seconds(FREE_TRIES + 50) == LOCK_MAX


def test_guesses_from_another_copy_count_too(tmp_path):
    """Each browser tab is its own process: the count lives in the file, not in one copy's memory."""
    clock = Clock()
    with Registry(tmp_path, clock=clock) as one:
        one.enrol("Bea", "5555")
    for _ in range(FREE_TRIES):
        with Registry(tmp_path, clock=clock) as other:
            other.sign_in("Bea", "0000")
    with Registry(tmp_path, clock=clock) as later:
        assert later.sign_in("Bea", "5555").learner is None


def test_a_taken_name_cannot_be_enrolled_again(tmp_path):
    with Registry(tmp_path) as reg:
        reg.enrol("Cy", "1111")
        again = reg.enrol("CY", "2222")
        assert again.learner is None and "taken" in again.message
        assert reg.sign_in("Cy", "2222").learner is None


def test_forget_pin_keeps_the_folder_and_lets_a_new_pin_be_set(tmp_path):
    with Registry(tmp_path) as reg:
        first = reg.enrol("Dee", "1111").learner
        (first.folder / "progress.db").write_bytes(b"")
        assert reg.forget_pin("dee").name == "Dee"
        assert reg.lookup("Dee").has_pin is False
        assert reg.sign_in("Dee", "1111").learner is None
        again = reg.enrol("Dee", "2222").learner
        assert again.folder == first.folder and (again.folder / "progress.db").exists()
        assert reg.sign_in("Dee", "2222").learner is not None
    assert reg.forget_pin is not None


def test_forget_pin_command(tmp_path, capsys):
    from tutor.cli import main

    with Registry(tmp_path) as reg:
        reg.enrol("Eli", "1111")
    assert main(["class", "forget-pin", "ELI", "--data-dir", str(tmp_path)]) == 0
    assert "Eli" in capsys.readouterr().out
    assert main(["class", "forget-pin", "Nobody", "--data-dir", str(tmp_path)]) == 1
    assert main(["class", "forget-pin", "x", "--data-dir", str(tmp_path / "none")]) == 2

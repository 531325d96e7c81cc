"""The worker's allocator settings (app/memory.py, Settings.malloc_arenas)."""

from __future__ import annotations

from app import memory
from app.settings import memory_arenas


def test_two_arenas_by_default():
    assert memory_arenas({}) == 2


def test_the_setting_chooses_the_limit_and_zero_keeps_glibcs_default():
    assert memory_arenas({"MOTCUA_MALLOC_ARENAS": "4"}) == 4
    assert memory_arenas({"MOTCUA_MALLOC_ARENAS": "0"}) is None
    assert memory_arenas({"MOTCUA_MALLOC_ARENAS": "1000"}) == 64


def test_a_wrong_value_is_ignored_rather_than_stopping_the_worker():
    assert memory_arenas({"MOTCUA_MALLOC_ARENAS": "hai"}) is None
    assert memory_arenas({"MOTCUA_MALLOC_ARENAS": "-3"}) is None


def test_glibcs_own_variable_wins():
    assert memory_arenas({"MALLOC_ARENA_MAX": "1", "MOTCUA_MALLOC_ARENAS": "4"}) is None


def test_the_limit_is_set_through_glibc_and_none_leaves_it():
    assert memory.limit_arenas(2) is True
    assert memory.limit_arenas(None) is False

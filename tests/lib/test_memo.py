from destek.lib.memo import batch_memoized, batch_scope, forget

calls: list[int] = []


@batch_memoized
def square(number: int) -> int:
    calls.append(number)
    return number * number


def setup_function():
    calls.clear()


def test_outside_a_scope_every_call_runs():
    assert square(3) == 9
    assert square(3) == 9
    assert calls == [3, 3]


def test_inside_a_scope_each_argument_is_computed_once():
    with batch_scope():
        assert [square(2), square(2), square(4), square(2)] == [4, 4, 16, 4]
    assert calls == [2, 4]


def test_a_new_scope_starts_empty():
    with batch_scope():
        square(5)
    with batch_scope():
        square(5)
    assert calls == [5, 5]


def test_nested_scopes_share_the_outer_memory():
    with batch_scope():
        square(6)
        with batch_scope():
            square(6)
        square(6)
    assert calls == [6]


def test_forget_drops_one_result():
    with batch_scope():
        square(7)
        forget(square, 7)
        square(7)
    assert calls == [7, 7]

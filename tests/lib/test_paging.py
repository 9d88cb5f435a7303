from destek.lib.paging import UncountedPage


def test_a_full_page_with_more_behind_it_has_a_next_page():
    page = UncountedPage(list(range(120)), "2", per_page=50)

    assert list(page) == list(range(50, 100))
    assert page.number == 2
    assert page.has_next() and page.has_previous()
    assert (page.previous_page_number(), page.next_page_number()) == (1, 3)


def test_the_last_page_has_no_next_page():
    page = UncountedPage(list(range(120)), 3, per_page=50)

    assert list(page) == list(range(100, 120))
    assert not page.has_next()


def test_exactly_one_page_has_no_other_pages():
    page = UncountedPage(list(range(50)), None, per_page=50)

    assert len(page) == 50
    assert not page.has_other_pages()


def test_garbage_and_non_positive_page_numbers_mean_the_first_page():
    for value in ("abc", "", "0", "-3", None):
        assert UncountedPage(list(range(5)), value, per_page=2).number == 1


def test_a_page_past_the_end_is_empty():
    page = UncountedPage(list(range(5)), 9, per_page=2)

    assert list(page) == []
    assert not page.has_next() and page.has_previous()
